/*
 * A NETLINK_ROUTE socket for linux.netDevices (lib/netdev): in runo's own
 * network namespace, or in another one given by an fd. setns(CLONE_NEWNET)
 * acts on the calling thread only, so the thread enters the namespace,
 * makes the socket (which stays bound to that namespace) and returns at
 * once; nothing else runs meanwhile. If it cannot return, the thread would
 * go on in the container's namespace: abort instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cleanup.h"
#include "libnsexec.h"

static int route_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	return fd < 0 ? -errno : fd;
}

int runo_netlink_socket(int netns_fd)
{
	cleanup_close int self = -1;
	int fd;

	if (netns_fd < 0)
		return route_socket();
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(netns_fd, CLONE_NEWNET) < 0)
		return -errno;
	fd = route_socket();
	if (setns(self, CLONE_NEWNET) < 0)
		abort();
	return fd;
}
