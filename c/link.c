/*
 * LINK_UP: set a network link of the init's network namespace up, by name
 * (SIOCGIFFLAGS, then SIOCSIFFLAGS with IFF_UP), as runc's loopback
 * strategy and crun do for the lo of a new network namespace. The planner
 * decides which link and when (init/network.ts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cleanup.h"
#include "err.h"
#include "executor.h"

int runo_op_link_up(const struct runo_op *op, struct runo_ctx *ctx)
{
	struct ifreq ifr;
	cleanup_close int fd = -1;

	(void)ctx;
	if (strlen(op->target) >= sizeof(ifr.ifr_name))
		return runo_fail_plain(EINVAL, "link \"%s\": name too long", op->target);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return runo_fail(errno, "socket for link \"%s\"", op->target);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, op->target);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return runo_fail(errno, "get the flags of link \"%s\"", op->target);
	if (ifr.ifr_flags & IFF_UP)
		return 0;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return runo_fail(errno, "set link \"%s\" up", op->target);
	return 0;
}
