/*
 * Wrappers for the fds runo waits on (c/libnsexec.h): an eventfd, a cgroup
 * v1 memory notification, inotify on a cgroup v2 file, a pidfd, a poll of
 * three, a drain. `events`, the pty proxy, the shim's io and D-Bus wait
 * off the event loop through them. Each returns its result or -errno and
 * never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "libnsexec.h"

/* A nonblocking eventfd, counter 0. */
int runo_eventfd(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	return fd < 0 ? -errno : fd;
}

/* A cgroup v1 memory notification (cgroup-v1/memory.rst, "Memory thresholds"
 * and "OOM Control"): an eventfd registered for `control` by writing
 * "<eventfd> <control fd>" to event_control. The kernel keeps no reference
 * to the control file, so it is closed here; closing the eventfd ends the
 * registration. Returns the eventfd (nonblocking). */
int runo_memcg_eventfd(const char *control, const char *event_control)
{
	char line[32];
	cleanup_close int cfd = -1, efd = -1, wfd = -1;
	long n, w;

	if ((cfd = open(control, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if ((efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
		return -errno;
	n = snprintf(line, sizeof(line), "%d %d", efd, cfd);
	if ((wfd = open(event_control, O_WRONLY | O_CLOEXEC)) < 0)
		return -errno;
	if ((w = write(wfd, line, (size_t)n)) != n)
		return w < 0 ? -errno : -EIO;
	return steal_fd(&efd);
}

/* A nonblocking inotify fd watching path for mask (IN_MODIFY: cgroupfs
 * files such as memory.events announce changes so, kernfs_notify). */
int runo_inotify_watch(const char *path, uint32_t mask)
{
	cleanup_close int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

	if (fd < 0 || inotify_add_watch(fd, path, mask) < 0)
		return -errno;
	return steal_fd(&fd);
}

/* A pidfd of pid: readable once the process exits (pidfd_open(2)). */
int runo_pidfd_open(int pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : fd;
}

/* Waits up to timeout_ms (-1: no limit) until one of a, b, c is readable
 * (a negative fd is skipped); returns a bitmask (1: a, 2: b, 4: c), 0 on
 * timeout. Blocks: Deno binds it nonblocking (a worker thread). */
int runo_poll3(int a, int b, int c, int timeout_ms)
{
	struct pollfd p[3] = { { .fd = a, .events = POLLIN }, { .fd = b, .events = POLLIN },
			       { .fd = c, .events = POLLIN } };
	int n, i, mask = 0;

	n = RETRY(poll(p, 3, timeout_ms));
	if (n < 0)
		return -errno;
	for (i = 0; i < 3; i++)
		if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
			mask |= 1 << i;
	return mask;
}

/* Reads a nonblocking fd until EAGAIN; returns the bytes read. */
int64_t runo_drain(int fd)
{
	uint8_t buf[4096];
	int64_t total = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			total += n;
			continue;
		}
		if (n == 0 || errno == EAGAIN)
			return total;
		if (errno != EINTR)
			return -errno;
	}
}
