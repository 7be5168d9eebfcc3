/*
 * The SECCOMP operation: load the BPF program the parent compiled with
 * libseccomp (lib/seccomp/compile.ts) with seccomp(2). When the filter has
 * SCMP_ACT_NOTIFY rules the planner sets SECCOMP_FILTER_FLAG_NEW_LISTENER;
 * the listener fd then travels to the parent beside {"type":"procSeccomp"}
 * on the init pipe (SCM_RIGHTS) and the init waits for procSeccompDone, as
 * runc's syncParentSeccomp does, so the agent holds the fd before the
 * container process makes its first notified syscall.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "err.h"
#include "executor.h"
#include "sync.h"

static int send_listener(int sock, int fd)
{
	static const char msg_text[] = "{\"type\":\"procSeccomp\"}";
	int rc = runo_send_with_fd(sock, msg_text, sizeof(msg_text) - 1, fd);

	return rc < 0 ? runo_fail(-rc, "send the seccomp listener on the init pipe") : 0;
}

static int wait_done(int sock)
{
	char buf[128];
	ssize_t n;

	n = RETRY(recv(sock, buf, sizeof(buf), 0));
	if (n < 0)
		return runo_fail(errno, "recv procSeccompDone on the init pipe");
	if (n == 0)
		return runo_fail_plain(EPIPE, "init pipe closed while waiting for procSeccompDone");
	if (!runo_sync_is_type(buf, (size_t)n, "procSeccompDone"))
		return runo_fail_plain(EPROTO, "unexpected message while waiting for procSeccompDone");
	return 0;
}

/* Hands the listener to the parent and closes our copy. */
static int pass_listener(int fd)
{
	int sock = runo_sync_fd(), rc;

	if (sock < 0) {
		close(fd);
		return runo_fail_plain(EPIPE, "seccomp listener: the init pipe is closed");
	}
	rc = send_listener(sock, fd);
	close(fd);
	return rc < 0 ? rc : wait_done(sock);
}

int runo_op_seccomp(const struct runo_op *op, struct runo_ctx *ctx)
{
	struct sock_filter *filter;
	struct sock_fprog prog;
	long rc;

	(void)ctx;
	if (op->nbytes == 0 || op->nbytes % sizeof(struct sock_filter) != 0 ||
	    op->nbytes / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return runo_fail_plain(EINVAL, "seccomp: program of %zu bytes", op->nbytes);
	/* Copy: the payload inside the message is only 4-byte aligned. */
	if ((filter = malloc(op->nbytes)) == NULL)
		return runo_fail(ENOMEM, "seccomp");
	memcpy(filter, op->bytes, op->nbytes);
	prog.len = (unsigned short)(op->nbytes / sizeof(struct sock_filter));
	prog.filter = filter;
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned long)op->flags, &prog);
	free(filter);
	if (rc < 0)
		return runo_fail(errno, "seccomp SECCOMP_SET_MODE_FILTER flags 0x%llx",
				 (unsigned long long)op->flags);
	if (op->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		return pass_listener((int)rc);
	return 0;
}
