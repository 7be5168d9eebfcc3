/*
 * runo_spawn_hook: start an OCI hook from Deno (prestart, createRuntime,
 * poststart, poststop run in the runtime's namespaces). Deno.Command cannot
 * set argv[0], and the spec makes hook.args[0] the argv[0], as Go's
 * exec.Cmd does for runc; so the hook is forked here and execve'd with
 * exactly its argv and environment. Between fork and exec only
 * async-signal-safe calls (Deno is multithreaded).
 *
 * Permissions: loaded by Deno with --allow-ffi.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libnsexec.h"

/* "a\0b\0" → {"a", "b", NULL}; an empty list gives {NULL}. */
static char **split_list(const char *buf, int len)
{
	int n = 0, k = 0;
	char **v;

	if (len < 0 || (len > 0 && buf[len - 1] != '\0'))
		return NULL;
	for (int i = 0; i < len; i++)
		n += buf[i] == '\0';
	if ((v = calloc((size_t)n + 1, sizeof(char *))) == NULL)
		return NULL;
	for (int i = 0; i < len; i += (int)strlen(buf + i) + 1)
		v[k++] = (char *)buf + i;
	v[k] = NULL;
	return v;
}

static __attribute__((noreturn)) void hook_child(const char *path, const int32_t fds[3],
						 char **argv, char **envp)
{
	struct sigaction dfl;
	sigset_t none;
	int tmp[3];

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, _NSIG / 8);
	/* Move the sources above 0–2 first so none is clobbered by another. */
	for (int i = 0; i < 3; i++)
		if ((tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3)) < 0)
			_exit(126);
	for (int i = 0; i < 3; i++)
		if (dup3(tmp[i], i, 0) < 0)
			_exit(126);
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	execve(path, argv, envp);
	_exit(127);
}

int runo_spawn_hook(const char *path, const int32_t *fds, const char *args, int args_len,
		    const char *env, int env_len)
{
	char **argv = split_list(args, args_len), **envp = split_list(env, env_len);
	sigset_t all, old;
	pid_t pid;
	int err = 0;

	if (argv == NULL || envp == NULL || argv[0] == NULL) {
		free(argv);
		free(envp);
		return -EINVAL;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0)
		hook_child(path, fds, argv, envp);
	if (pid < 0)
		err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(argv);
	free(envp);
	return pid < 0 ? -err : pid;
}
