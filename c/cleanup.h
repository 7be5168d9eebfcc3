/*
 * Resources released by scope, and the EINTR retry of blocking calls, for
 * every C file (crun's cleanup_close and glibc's TEMP_FAILURE_RETRY):
 *
 *	cleanup_close int fd = open(...);
 *	if (fd < 0)
 *		return -errno;
 *	if (fstat(fd, &st) < 0)
 *		return -errno;         // fd closed here, errno kept
 *	return steal_fd(&fd);         // the caller owns it now
 */
#ifndef RUNO_CLEANUP_H
#define RUNO_CLEANUP_H

#include <errno.h>
#include <unistd.h>

static inline void runo_close_fdp(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
}

/* An int fd closed when it goes out of scope, unless it is -1 by then. */
#define cleanup_close __attribute__((cleanup(runo_close_fdp)))

/* Hands the fd out of a cleanup_close variable, which then closes nothing. */
static inline int steal_fd(int *fd)
{
	int f = *fd;

	*fd = -1;
	return f;
}

/* expr again while it fails with EINTR; its last result, errno as it set it. */
#define RETRY(expr)                                              \
	({                                                       \
		long _retry_r;                                   \
		do                                               \
			_retry_r = (long)(expr);                 \
		while (_retry_r < 0 && errno == EINTR);          \
		_retry_r;                                        \
	})

/* RETRY as a wrapper's result: the value, or -errno. */
#define RETRY_RC(expr)                                       \
	({                                                   \
		long _retry_v = RETRY(expr);                 \
		_retry_v < 0 ? -(long)errno : _retry_v;      \
	})

#endif
