/* libnsexec.so: sealed executable and spawn with fds moved into place. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../c/calls.h"
#include "../../c/libnsexec.h"
#include "test.h"

static void seal(void)
{
	int fd = runo_seal_exe("/bin/sh");

	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GET_SEALS) == (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE));
	CHECK(write(fd, "x", 1) < 0 && errno == EPERM);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	CHECK(runo_seal_exe("/nonexistent-runo") == -ENOENT);
	CHECK(runo_seal_exe("/tmp") == -EINVAL);
}

/* fds[10] and fds[11] swap two fds that already sit at 10 and 11. */
static void spawn(void)
{
	/* ls writes straight to stdout: a pipeline would make the shell ($$)
	 * hold pipe fds of its own while ls lists them. */
	static const char args[] = "sh\0-c\0readlink /proc/$$/fd/10 /proc/$$/fd/11; ls -v /proc/$$/fd";
	const char *dir = t_scratch("spawn");
	char a[256], b[256], want[600], out[1024] = { 0 };
	int32_t fds[12], p[2];
	int exe = runo_seal_exe("/bin/sh"), status, pid;
	ssize_t n, got = 0;

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	CHECK(runo_pipe(p) == 0);
	dup2(open(a, O_CREAT | O_RDWR | O_CLOEXEC, 0644), 10);
	dup2(open(b, O_CREAT | O_RDWR | O_CLOEXEC, 0644), 11);
	fcntl(10, F_SETFD, FD_CLOEXEC), fcntl(11, F_SETFD, FD_CLOEXEC);
	for (int i = 0; i < 12; i++)
		fds[i] = -1;
	fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC), fds[1] = p[1], fds[2] = p[1];
	fds[10] = 11, fds[11] = 10;
	pid = runo_spawn(exe, fds, 12, args, sizeof(args));
	CHECK(pid > 0);
	close(p[1]);
	while ((n = read(p[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0)
		got += n;
	CHECK(runo_waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(want, sizeof(want), "%s\n%s\n0\n1\n2\n10\n11\n", b, a);
	CHECK(strcmp(out, want) == 0);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "  got: %s\n  want: %s\n", out, want);
	CHECK(runo_spawn(exe, fds, 12, "sh", 2) == -EINVAL);
	close(p[0]), close(fds[0]), close(10), close(11), close(exe);
}

static void wrappers(void)
{
	int32_t sp[2];
	uint8_t buf[8];
	int32_t status;

	CHECK(runo_socketpair(sp) == 0);
	CHECK(runo_send(sp[0], (const uint8_t *)"abc", 3) == 3);
	CHECK(runo_send(sp[0], (const uint8_t *)"de", 2) == 2);
	CHECK(runo_recv(sp[1], buf, sizeof(buf)) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(runo_recv(sp[1], buf, sizeof(buf)) == 2);
	CHECK(runo_close(sp[0]) == 0 && runo_recv(sp[1], buf, sizeof(buf)) == 0);
	CHECK(runo_send(sp[1], buf, 1) == -EPIPE);
	CHECK(runo_close(sp[1]) == 0 && runo_close(sp[1]) == -EBADF);
	CHECK(runo_read_file("/proc/self/stat", buf, 4) == 4);
	CHECK(runo_open("/nonexistent-runo", O_RDONLY, 0) == -ENOENT);
	CHECK(runo_waitpid(-1, &status, WNOHANG) == -ECHILD);
	CHECK(runo_kill(0x3fffffff, 0) == -ESRCH);
}

/* sd_notify's datagram socket: bound with its mode, replaced when stale,
 * nonblocking; a datagram to it, with a pipe end beside it or without. */
static void dgram(void)
{
	char path[64];
	uint8_t buf[16];
	int32_t p[2];
	struct stat st;
	int fd, old;

	snprintf(path, sizeof(path), "/tmp/runo-test-c-%d.sock", getpid());
	unlink(path);
	CHECK((old = runo_dgram_bind(path, 0777)) >= 0);
	CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0777);
	close(old);
	CHECK((fd = runo_dgram_bind(path, 0700)) >= 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK(runo_recv(fd, buf, sizeof(buf)) == -EAGAIN);
	CHECK(runo_dgram_send(path, (const uint8_t *)"READY=1\n", 8, -1) == 8);
	CHECK(runo_recv(fd, buf, sizeof(buf)) == 8 && memcmp(buf, "READY=1\n", 8) == 0);
	CHECK(runo_pipe(p) == 0);
	CHECK(runo_dgram_send(path, (const uint8_t *)"BARRIER=1", 9, p[1]) == 9);
	close(p[1]);
	/* The datagram holds the last write end: no EOF until it is read. */
	CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 && read(p[0], buf, 1) < 0 && errno == EAGAIN);
	CHECK(runo_recv(fd, buf, sizeof(buf)) == 9);
	CHECK(read(p[0], buf, 1) == 0);
	close(p[0]);
	close(fd);
	unlink(path);
	CHECK(runo_dgram_send(path, buf, 1, -1) == -ENOENT);
	CHECK(runo_dgram_bind("/nonexistent-runo/x.sock", 0777) == -ENOENT);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The child shares our memory until its exec (CLONE_VM | CLONE_VFORK) but
 * resets only its own copy of the signal handlers and mask. */
static void spawn_keeps_our_signals(void)
{
	static const char args[] = "sh\0-c\0exit 3";
	struct sigaction sa, now;
	sigset_t mask, before;
	int32_t fds[3] = { 0, 1, 2 };
	int exe = runo_seal_exe("/bin/sh"), status, pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, &before);
	pid = runo_spawn(exe, fds, 3, args, sizeof(args));
	CHECK(pid > 0);
	CHECK(runo_waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 3);
	sigaction(SIGUSR1, NULL, &now);
	CHECK(now.sa_handler == on_usr1);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	CHECK(sigismember(&mask, SIGUSR2) == 1);
	sigprocmask(SIG_SETMASK, &before, NULL);
	signal(SIGUSR1, SIG_DFL);
	close(exe);
}

/* runo_call passes pointers (a..d) and integers (x..w) through in order. */
static void dispatcher(void)
{
	int32_t sp[2];
	uint8_t buf[8];

	CHECK(runo_call(RUNO_FN_SOCKETPAIR, sp, NULL, NULL, NULL, 0, 0, 0, 0) == 0);
	CHECK(runo_call(RUNO_FN_SEND, "xyz", NULL, NULL, NULL, sp[0], 3, 0, 0) == 3);
	CHECK(runo_call(RUNO_FN_RECV, buf, NULL, NULL, NULL, sp[1], sizeof(buf), 0, 0) == 3);
	CHECK(memcmp(buf, "xyz", 3) == 0);
	CHECK(runo_call(RUNO_FN_CLOSE, NULL, NULL, NULL, NULL, sp[0], 0, 0, 0) == 0);
	CHECK(runo_call(RUNO_FN_CLOSE, NULL, NULL, NULL, NULL, sp[1], 0, 0, 0) == 0);
	CHECK(runo_call(RUNO_FN_CLOSE, NULL, NULL, NULL, NULL, sp[1], 0, 0, 0) == -EBADF);
	CHECK(runo_call(RUNO_FN_READ_FILE, "/proc/self/stat", buf, NULL, NULL, 4, 0, 0, 0) == 4);
	CHECK(runo_call(RUNO_FN_KILL, NULL, NULL, NULL, NULL, 0x3fffffff, 0, 0, 0) == -ESRCH);
	CHECK(runo_call(0, NULL, NULL, NULL, NULL, 0, 0, 0, 0) == -ENOSYS);
	CHECK(runo_call(10000, NULL, NULL, NULL, NULL, 0, 0, 0, 0) == -ENOSYS);
	{
		uint64_t id = 0;

		CHECK(runo_call(RUNO_FN_MOUNT_ID, "/", &id, NULL, NULL, 0, 0, 0, 0) == 0 && id != 0);
		CHECK(runo_call(RUNO_FN_MOUNT_ID, "/no/such/path", &id, NULL, NULL, 0, 0, 0, 0) ==
		      -ENOENT);
		/* Not a mount point: umount2 says EINVAL. */
		CHECK(runo_call(RUNO_FN_UMOUNT_DETACH, "/etc", NULL, NULL, NULL, 0, 0, 0, 0) == -EINVAL);
	}
}

void test_spawn(void)
{
	seal();
	spawn();
	wrappers();
	dgram();
	spawn_keeps_our_signals();
	dispatcher();
}
