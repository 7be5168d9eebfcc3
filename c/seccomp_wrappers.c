/*
 * What the host's kernel takes of seccomp(2), asked before a container is
 * made (lib/seccomp/support.ts), as libseccomp probes it: an action through
 * SECCOMP_GET_ACTION_AVAIL, a filter flag by loading no program with it
 * (EFAULT when the flag is known, EINVAL when not). Nothing is installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libnsexec.h"

/* 1 if the kernel has this SECCOMP_RET_* action, 0 if not. */
int runo_seccomp_action_avail(uint32_t action)
{
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0)
		return 1;
	return errno == EOPNOTSUPP ? 0 : -errno;
}

/* 1 if seccomp(SECCOMP_SET_MODE_FILTER) takes these flags, 0 if not. */
int runo_seccomp_flags_known(uint32_t flags)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned long)flags, NULL) == 0)
		return -EPROTO; /* cannot happen: no program was given */
	if (errno == EFAULT)
		return 1;
	return errno == EINVAL ? 0 : -errno;
}
