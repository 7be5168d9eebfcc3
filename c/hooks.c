/*
 * RUN_HOOK: run one OCI hook from inside the container's namespaces
 * (createContainer before pivot_root, startContainer after `start`),
 * as runc does from its init. The parent wrote the state JSON into a file
 * whose fd the init inherited (FD); the hook reads it on stdin from a pipe.
 * Fields: SOURCE path, ARG argv (empty: argv = {path}), ENV exactly the
 * environment, VALUE timeout in ms (0: none; SIGKILL on expiry), DATA the
 * phase name for messages, NUM 1 to leave a failure in the state file.
 *
 * Permissions: runs in the init; no Deno involved.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "err.h"
#include "executor.h"
#include "hooks.h"

/* The state JSON the parent wrote, whole (it may be rewritten by `start`,
 * so it is read at each hook from offset 0). */
static char *read_state(int fd, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > (1 << 24))
		return NULL;
	if ((buf = malloc((size_t)st.st_size)) == NULL)
		return NULL;
	while (got < (size_t)st.st_size) {
		ssize_t n = RETRY(pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got));

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	*len = got;
	return buf;
}

/* A pipe already holding the whole state and closed for writing, so the
 * hook may read it at leisure or not at all without blocking us. */
static int state_pipe(const char *state, size_t len)
{
	int p[2];
	cleanup_close int in = -1, out = -1;
	size_t off = 0;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	in = p[0], out = p[1];
	if (len > 65536)
		fcntl(out, F_SETPIPE_SZ, (int)len);
	while (off < len) {
		ssize_t n = RETRY(write(out, state + off, len - off));

		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (size_t)n;
	}
	return steal_fd(&in);
}

static __attribute__((noreturn)) void hook_child(const struct runo_op *op, int in, int out)
{
	static const char *const none[] = { NULL };
	const char *argv0[] = { op->source, NULL };
	char *const *argv = (char *const *)(op->nargs ? op->args : argv0);
	char *const *envp = (char *const *)(op->env ? op->env : none);
	sigset_t empty;

	sigemptyset(&empty);
	sigprocmask(SIG_SETMASK, &empty, NULL);
	if (dup2(in, 0) < 0)
		_exit(126);
	if (out >= 0 && (dup2(out, 1) < 0 || dup2(out, 2) < 0))
		_exit(126);
	/* Nothing of the init's (init pipe, fifo, state file) reaches the hook. */
	syscall(SYS_close_range, 3, ~0U, 0);
	execve(op->source, argv, envp);
	_exit(127);
}

/* The end of the hook's output as one line, for the error message (runc
 * quotes its captured stdout and stderr the same way). */
static void output_tail(int fd, char *buf, size_t size)
{
	off_t end = lseek(fd, 0, SEEK_END), from = end > (off_t)size - 1 ? end - (off_t)size + 1 : 0;
	ssize_t n = fd >= 0 && end > 0 ? pread(fd, buf, (size_t)(end - from), from) : 0;
	size_t len = n > 0 ? (size_t)n : 0;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n' || buf[i] == '\r' || buf[i] == '"')
			buf[i] = buf[i] == '"' ? '\'' : ' ';
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for pid; with a timeout, SIGKILLs it when the time is up. Returns
 * the wait status, or -ETIMEDOUT once the killed hook is reaped. */
int runo_hook_wait(pid_t pid, uint64_t timeout_ms)
{
	long long deadline = timeout_ms ? now_ms() + (long long)timeout_ms : 0;
	cleanup_close int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			status = -errno;
			break;
		}
		if (deadline && now_ms() >= deadline) {
			kill(pid, SIGKILL);
			(void)RETRY(waitpid(pid, &status, 0));
			status = -ETIMEDOUT;
			break;
		}
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };
			long long left = deadline ? deadline - now_ms() : -1;

			/* Readable when the hook exits (pidfd_open(2)). */
			poll(&p, 1, deadline ? (int)(left > 0 ? left : 0) : -1);
		} else {
			usleep(5000);
		}
	}
	return status;
}

/* Names from lib/process/signals.ts, as runo's own hooks' errors give them. */
static const char *const signal_names[] = {
#define X(n, name) [n] = name,
	RUNO_SIGNAL_NAMES(X)
#undef X
};

static void describe_signal(char *why, size_t len, int sig)
{
	int known = sig > 0 && (size_t)sig < sizeof(signal_names) / sizeof(signal_names[0]) &&
		    signal_names[sig];

	if (known)
		snprintf(why, len, "killed by %s (signal %d)", signal_names[sig], sig);
	else
		snprintf(why, len, "killed by signal %d", sig);
}

/* 0 for a hook that exited 0, else the failure formatted by runo_fail. */
static int hook_result(const struct runo_op *op, int status, int out)
{
	const char *path = op->source, *phase = op->data;
	char tail[256], why[64];

	if (status < 0 && status != -ETIMEDOUT)
		return runo_fail(-status, "%s hook \"%s\": waitpid", phase, path);
	if (status == -ETIMEDOUT)
		snprintf(why, sizeof(why), "killed after its timeout of %llus",
			 (unsigned long long)(op->value / 1000));
	else if (WIFSIGNALED(status))
		describe_signal(why, sizeof(why), WTERMSIG(status));
	else if (WEXITSTATUS(status) == 127)
		snprintf(why, sizeof(why), "exit status 127 (cannot execute?)");
	else if (WEXITSTATUS(status) != 0)
		snprintf(why, sizeof(why), "exit status %d", WEXITSTATUS(status));
	else
		return 0;
	output_tail(out, tail, sizeof(tail));
	return runo_fail_plain(status == -ETIMEDOUT ? ETIMEDOUT : ECANCELED,
			       "%s hook \"%s\": %s%s%s%s", phase, path, why,
			       tail[0] ? ", output: \"" : "", tail, tail[0] ? "\"" : "");
}

/*
 * NUM 1 (startContainer): nobody reads the init pipe any more, so the
 * failure is also left in the state file for `start`, which finds the
 * init gone and looks there (RUNO_HOOK_ERROR_PREFIX, then the message).
 */
static int report(const struct runo_op *op, int rc)
{
	const char *msg = runo_fail_msg();
	char buf[1100];
	int n;

	if (rc == 0 || op->num != 1)
		return rc;
	n = snprintf(buf, sizeof(buf), "%s%s", RUNO_HOOK_ERROR_PREFIX, msg);
	if (ftruncate(op->fd, 0) == 0 && n > 0)
		(void)!pwrite(op->fd, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, 0);
	return rc;
}

int runo_op_run_hook(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *path = op->source, *phase = op->data;
	size_t len = 0;
	char *state;
	cleanup_close int in = -1, out = -1;
	int rc;
	pid_t pid;

	(void)ctx;
	if ((state = read_state(op->fd, &len)) == NULL)
		return runo_fail(errno ? errno : EIO, "%s hook: read the state (fd %d)", phase, op->fd);
	in = state_pipe(state, len);
	free(state);
	if (in < 0)
		return runo_fail(-in, "%s hook: state pipe", phase);
	/* Output kept aside, not on the container's stdio; -1: inherit stdio. */
	out = memfd_create("runo-hook-out", MFD_CLOEXEC);
	if ((pid = fork()) < 0) {
		rc = runo_fail(errno, "%s hook \"%s\": fork", phase, path);
	} else {
		if (pid == 0)
			hook_child(op, in, out);
		rc = hook_result(op, runo_hook_wait(pid, op->value), out);
	}
	return report(op, rc);
}
