/*
 * runo_spawn and runo_seal_exe: start the init from Deno. Deno is
 * multithreaded, and the child shares its memory until the exec, so the
 * child may only make async-signal-safe calls: no malloc, no locks, no
 * stdio. Everything the child needs is prepared in the parent first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "libnsexec.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static int copy_fd(int out, int in, off_t size)
{
	char buf[65536];
	ssize_t n;

	while (size > 0) {
		n = sendfile(out, in, NULL, (size_t)size);
		if (n > 0) {
			size -= n;
			continue;
		}
		if (n == 0 || (errno != EINVAL && errno != ENOSYS && errno != EINTR))
			return n == 0 ? -EIO : -errno;
		if (errno == EINTR)
			continue;
		break; /* sendfile unsupported here: read/write the rest */
	}
	while (size > 0) {
		if ((n = RETRY(read(in, buf, sizeof(buf)))) <= 0)
			return n == 0 ? -EIO : -errno;
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = RETRY(write(out, buf + off, (size_t)(n - off)))) < 0)
				return -errno;
		size -= n;
	}
	return 0;
}

static int new_memfd(void)
{
	/* MFD_EXEC keeps kernels >= 6.3 quiet and works under vm.memfd_noexec=1. */
	int fd = memfd_create("runo-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("runo-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd < 0 ? -errno : fd;
}

int runo_seal_exe(const char *path)
{
	struct stat st;
	cleanup_close int in = RETRY(open(path, O_RDONLY | O_CLOEXEC));
	cleanup_close int out = -1;
	int rc;

	if (in < 0 || fstat(in, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((out = new_memfd()) < 0)
		return out;
	if ((rc = copy_fd(out, in, st.st_size)) < 0)
		return rc;
	/* F_SEAL_WRITE waits a while for pages someone still holds, then says
	 * EBUSY (seen once in 200 library cycles): a few more tries. */
	for (int tries = 1; (rc = fcntl(out, F_ADD_SEALS, SEALS)) < 0 && errno == EBUSY && tries < 5;)
		tries++;
	if (rc < 0)
		return -errno;
	return steal_fd(&out);
}

/* ---- the child of runo_spawn: async-signal-safe only ---- */

struct spawn_args {
	int exe_fd;
	const int32_t *fds;
	int nfds;
	int *tmp; /* nfds scratch slots */
	char **argv;
};

static void reset_signals(void)
{
	struct sigaction dfl;
	sigset_t none;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	/* Ignored signals survive execve: reset every one (SIGPIPE above all). */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, _NSIG / 8);
}

/* fds[i] -> i. Sources are first moved above every target, so a source
 * that is also a target (fds = {1, 0}) is never clobbered. */
static int place_fds(const struct spawn_args *a, int *exe)
{
	int base = a->nfds > a->exe_fd ? a->nfds : a->exe_fd + 1;

	if ((*exe = fcntl(a->exe_fd, F_DUPFD_CLOEXEC, base)) < 0)
		return -1;
	for (int i = 0; i < a->nfds; i++)
		if (a->fds[i] >= 0 && (a->tmp[i] = fcntl(a->fds[i], F_DUPFD_CLOEXEC, base)) < 0)
			return -1;
	for (int i = 0; i < a->nfds; i++) {
		if (a->fds[i] < 0)
			close(i);
		else if (dup3(a->tmp[i], i, 0) < 0)
			return -1;
	}
	return 0;
}

/* Everything from nfds up is closed by the execveat (CLOEXEC). */
static void cloexec_rest(int from)
{
	if (syscall(SYS_close_range, from, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	for (int fd = from; fd < 65536; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static __attribute__((noreturn)) void spawn_child(const struct spawn_args *a)
{
	static char *const envp[] = { NULL };
	int exe;

	reset_signals();
	if (place_fds(a, &exe) == 0) {
		cloexec_rest(a->nfds);
		syscall(SYS_execveat, exe, "", a->argv, envp, AT_EMPTY_PATH);
	}
	_exit(127);
}

/* ---- the parent side ---- */

static char **split_args(const char *args, int len)
{
	int n = 0, k = 0;
	char **argv;

	if (len <= 0 || args[len - 1] != '\0')
		return NULL;
	for (int i = 0; i < len; i++)
		n += args[i] == '\0';
	if ((argv = calloc((size_t)n + 1, sizeof(char *))) == NULL)
		return NULL;
	for (int i = 0; i < len; i += (int)strlen(args + i) + 1)
		argv[k++] = (char *)args + i;
	argv[k] = NULL;
	return argv;
}

static int child_main(void *arg)
{
	spawn_child(arg);
}

/*
 * clone(CLONE_VM | CLONE_VFORK) on a stack of its own, as glibc's
 * posix_spawn does: fork() copied the page tables of all of Deno's memory
 * (~0.8 ms) and made every page Deno then wrote a copy-on-write fault until
 * the exec. The child shares our memory until its execveat, during which
 * this thread waits; it only writes its own stack and a->tmp, and it has a
 * copy of the signal handlers (no CLONE_SIGHAND), so reset_signals does
 * not touch ours.
 */
static int fork_child(const struct spawn_args *a)
{
	const size_t size = 64 * 1024;
	sigset_t all, old;
	void *stack;
	pid_t pid;
	int err;

	stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
		     -1, 0);
	if (stack == MAP_FAILED)
		return -errno;
	/* No signal handler of Deno's may run in the child before the reset. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = clone(child_main, (char *)stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD,
		    (void *)a);
	err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	munmap(stack, size);
	return pid < 0 ? -err : pid;
}

int runo_spawn(int exe_fd, const int32_t *fds, int nfds, const char *args, int args_len)
{
	struct spawn_args a = { exe_fd, fds, nfds, NULL, NULL };
	int rc;

	if (nfds < 0 || nfds > 4096 || exe_fd < 0)
		return -EINVAL;
	if ((a.argv = split_args(args, args_len)) == NULL)
		return args_len <= 0 || args[args_len - 1] != '\0' ? -EINVAL : -ENOMEM;
	if ((a.tmp = calloc((size_t)nfds + 1, sizeof(int))) == NULL) {
		free(a.argv);
		return -ENOMEM;
	}
	rc = fork_child(&a);
	free(a.tmp);
	free(a.argv);
	return rc;
}
