/*
 * The verified procfs handles (c/procfs.c) and the fd-based mounts
 * (c/fdmount.c), attacked as the container would: /proc covered by a tmpfs
 * holding fake files, a file bind-mounted over /proc/sys/kernel, /proc
 * replaced by a directory of fakes. As root, in a private mount namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../../c/executor.h"
#include "../../c/fdmount.h"
#include "../../c/ids.h"
#include "../../c/procfs.h"
#include "test.h"

#define PROC_MAGIC 0x9fa0
#define TMPFS_MAGIC_ 0x01021994

static int read_at(int proc, const char *path, char *buf, size_t len)
{
	int fd = procfs_open(proc, path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* The real cap_last_cap, read before anything is covered. */
static char real_last[16];

static void checks(void)
{
	int proc = procfs_open_host(), sub, tmp;
	char buf[64];

	CHECK(proc >= 0 && procfs_check_root(proc) == 0);
	CHECK(read_at(proc, "sys/kernel/cap_last_cap", real_last, sizeof(real_last)) == 0);
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	{
		char link[32] = { 0 };

		CHECK(readlinkat(proc, "self", link, sizeof(link) - 1) > 0 && strcmp(link, buf) == 0);
	}
	/* A procfs directory that is not its root, and a tmpfs, are refused. */
	sub = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(procfs_check_root(sub) == -EXDEV);
	tmp = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(procfs_check_root(tmp) == -EXDEV);
	/* No magic link is followed, nor anything above the handle. */
	CHECK(procfs_open(proc, "self/root/etc/hostname", O_RDONLY) == -ELOOP);
	CHECK(procfs_open(proc, "../etc/hostname", O_RDONLY) == -EXDEV);
	close(sub), close(tmp), close(proc);
}

/* What a privileged container can do to its /proc before an exec. */
static void covered(void)
{
	const char *fake = t_scratch("fakeproc");
	char path[512], buf[64];
	int host, priv, fd, o;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		CHECK(!"unshare(CLONE_NEWNS)");
		return;
	}
	host = procfs_open_host();
	snprintf(path, sizeof(path), "%s/cap_last_cap", fake);
	write_file(path, "0\n");
	/* A file over /proc/sys/kernel/cap_last_cap: the host handle sees the
	 * mount and refuses to cross it; a private instance reads the truth. */
	CHECK(mount(path, "/proc/sys/kernel/cap_last_cap", NULL, MS_BIND, NULL) == 0);
	CHECK(read_at(host, "sys/kernel/cap_last_cap", buf, sizeof(buf)) == -EXDEV);
	priv = procfs_open_private(0);
	CHECK(priv >= 0 && read_at(priv, "sys/kernel/cap_last_cap", buf, sizeof(buf)) == 0 &&
	      strcmp(buf, real_last) == 0);
	close(priv);
	/* /proc covered whole by a directory of fakes: still the truth. */
	snprintf(path, sizeof(path), "%s/sys", fake);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", fake);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/sys/kernel/cap_last_cap", fake);
	write_file(path, "0\n");
	CHECK(mount(fake, "/proc", NULL, MS_BIND, NULL) == 0);
	priv = procfs_open_private(0);
	CHECK(priv >= 0 && read_at(priv, "sys/kernel/cap_last_cap", buf, sizeof(buf)) == 0 &&
	      strcmp(buf, real_last) == 0);
	/* An fd reopened and a mount made through the private handle. */
	fd = open(fake, O_PATH | O_DIRECTORY | O_CLOEXEC);
	o = procfs_reopen(priv, fd, O_RDONLY | O_DIRECTORY);
	CHECK(o >= 0);
	close(o);
	CHECK(procfs_mount_on(priv, "tmpfs", fd, "tmpfs", 0, "size=4k") == 0);
	{
		struct statfs sfs;

		CHECK(statfs(fake, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC_);
	}
	CHECK(procfs_write(priv, "self/comm", "runo-test") == 0);
	close(fd), close(priv), close(host);
	/* The handle the init keeps: our own pid, no /proc/sys to lose. */
	priv = procfs_open_private(1);
	CHECK(priv >= 0 && faccessat(priv, "self/fd", F_OK, 0) == 0);
	CHECK(procfs_open(priv, "sys/kernel/cap_last_cap", O_RDONLY) == -ENOENT);
	close(priv);
}

/* fdmount: a new procfs checked before use, a bind by fd, mount_setattr. */
static void fd_mounts(void)
{
	const char *dir = t_scratch("fdm");
	char sub[512], file[512];
	struct statfs sfs;
	int mnt, fd, f;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		CHECK(!"unshare(CLONE_NEWNS)");
		return;
	}
	mnt = fdmount_new_fs("proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, NULL);
	CHECK(mnt >= 0 && fstatfs(mnt, &sfs) == 0 && sfs.f_type == PROC_MAGIC);
	snprintf(sub, sizeof(sub), "%s/p", dir);
	mkdir(sub, 0755);
	fd = open(sub, O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(fdmount_attach(mnt, fd) == 0);
	snprintf(file, sizeof(file), "%s/p/self", dir);
	CHECK(access(file, F_OK) == 0);
	close(mnt), close(fd);
	CHECK(fdmount_new_fs("proc", NULL, MS_BIND, NULL, NULL) == -EINVAL);
	CHECK(fdmount_new_fs("tmpfs", "tmpfs", 0, "size=4k,nosuchoption", NULL) < 0);

	/* A file bound onto a file, then made read-only (and only that). */
	snprintf(file, sizeof(file), "%s/src", dir);
	write_file(file, "x");
	f = open(file, O_PATH | O_CLOEXEC);
	snprintf(sub, sizeof(sub), "%s/dst", dir);
	write_file(sub, "");
	fd = open(sub, O_PATH | O_CLOEXEC);
	CHECK(fdmount_bind(f, fd, 0) == 0);
	close(fd);
	fd = open(sub, O_PATH | O_CLOEXEC);
	CHECK(fdmount_setattr(fd, 0, MOUNT_ATTR_RDONLY, 0) == 0);
	CHECK(open(sub, O_WRONLY) < 0 && errno == EROFS);
	CHECK(open(file, O_WRONLY | O_CLOEXEC) >= 0);
	close(fd), close(f);
}

/* Under a filter older than openat2 (ENOSYS), as a 2019 seccomp profile
 * is: the handle still opens paths and reopens fds, without symlinks. */
static void without_openat2(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	int proc = procfs_open_private(1), fd, o;
	char buf[32];

	CHECK(proc >= 0);
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
	CHECK(read_at(proc, "self/comm", buf, sizeof(buf)) == 0 && strlen(buf) > 0);
	fd = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
	o = procfs_reopen(proc, fd, O_RDONLY | O_DIRECTORY);
	CHECK(o >= 0);
	close(o);
	/* A symlink on the way is opened as itself, not a directory. */
	o = procfs_open(proc, "self/root/etc/hostname", O_RDONLY);
	CHECK(o == -ENOTDIR || o == -ELOOP);
	CHECK(procfs_open(proc, "self/../self/comm", O_RDONLY) == -EXDEV);
	/* CHDIR falls back on chdir + runc's reachability check: a cwd in the
	 * detached procfs handle (CVE-2024-21626's trick) is refused. */
	{
		struct runo_ctx ctx;
		struct runo_op op = { .code = RUNO_OP_CHDIR, .target = "/tmp", .fd = -1 };
		char path[64];

		runo_ctx_init(&ctx);
		ctx.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		CHECK(runo_run_op(&op, &ctx) == 0 && getcwd(path, sizeof(path)) && strcmp(path, "/tmp") == 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", proc);
		op.target = path;
		CHECK(runo_run_op(&op, &ctx) == -EPERM);
		close(ctx.rootfd);
	}
	close(fd), close(proc);
}

void test_procfs(void)
{
	if (!t_root()) {
		SKIP("procfs handle tests need root");
		return;
	}
	checks();
	t_in_child(covered);
	t_in_child(fd_mounts);
	t_in_child(without_openat2);
}
