/*
 * Process attributes runo sets from the host (c/libnsexec.h): CPU affinity
 * (process.execCPUAffinity, and runc's reset to every CPU) and the child
 * subreaper bit of a foreground `run`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libnsexec.h"

/* sched_setaffinity(pid, len, mask); pid 0 is the calling thread. */
int runo_sched_setaffinity(int pid, const uint8_t *mask, uint64_t len)
{
	return syscall(SYS_sched_setaffinity, pid, (size_t)len, mask) < 0 ? -errno : 0;
}

/* sched_getaffinity(pid, len, mask): the bytes of mask the kernel wrote. */
int runo_sched_getaffinity(int pid, uint8_t *mask, uint64_t len)
{
	long rc = syscall(SYS_sched_getaffinity, pid, (size_t)len, mask);

	return rc < 0 ? -errno : (int)rc;
}

/* prctl(PR_SET_CHILD_SUBREAPER, on). */
int runo_set_subreaper(int on)
{
	return prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) < 0 ? -errno : 0;
}
