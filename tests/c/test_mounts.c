/* Mount and path operations, as root, in a private mount namespace. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../../c/err.h"
#include "../../c/executor.h"
#include "../../c/ids.h"
#include "test.h"

#define TMPFS_MAGIC_ 0x01021994

static struct runo_ctx ctx;
static char R[256], H[256]; /* the root; a host directory outside it */

static int run(struct runo_op op)
{
	return runo_run_op(&op, &ctx);
}

static int is_tmpfs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == TMPFS_MAGIC_;
}

static int creat_errno(const char *dir)
{
	char p[600];
	int fd;

	snprintf(p, sizeof(p), "%s/probe", dir);
	if ((fd = open(p, O_CREAT | O_WRONLY, 0644)) < 0)
		return errno;
	close(fd);
	unlink(p);
	return 0;
}

static void mount_in_root(void)
{
	struct runo_op op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/up/mnt");
	struct stat host_mnt, st;
	char buf[256] = { 0 };
	int fd;

	stat("/mnt", &host_mnt);
	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_MKDIR;
	CHECK(run(op) == -EINVAL && strstr(runo_fail_msg(), "needs FSMOUNT") != NULL);
	op.opts |= RUNO_MOUNTOPT_FSMOUNT;
	CHECK(run(op) == 0 && is_tmpfs(t_join(R, "/mnt")));
	CHECK(stat("/mnt", &st) == 0 && st.st_dev == host_mnt.st_dev);
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/mnt");
	op.flags = MS_REMOUNT | MS_BIND | MS_RDONLY, op.opts = RUNO_MOUNTOPT_KEEP_LOCKED;
	CHECK(run(op) == 0 && creat_errno(t_join(R, "/mnt")) == EROFS);

	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/abs/etc/hn");
	op.source = "/etc/hostname", op.flags = MS_BIND, op.opts = RUNO_MOUNTOPT_MKFILE;
	CHECK(run(op) == 0);
	fd = open(t_join(R, "/etc/hn"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) > 0);
	close(fd);

	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/data");
	op.source = H, op.flags = MS_BIND | MS_REC, op.opts = RUNO_MOUNTOPT_LIKE_SOURCE;
	CHECK(run(op) == 0 && stat(t_join(R, "/data/marker"), &st) == 0 && S_ISDIR(st.st_mode));

	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/missing");
	op.source = "tmpfs", op.fstype = "tmpfs";
	op.opts = RUNO_MOUNTOPT_IF_EXISTS | RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	CHECK(run(op) == 0 && access(t_join(R, "/missing"), F_OK) < 0);
	op.opts = 0;
	CHECK(run(op) == -ENOENT);
}

static void nodes(void)
{
	struct runo_op op = t_op(RUNO_OP_MKNOD_IN_ROOT, "/up/dev/null");
	struct stat st;
	char link[64] = { 0 };

	op.mode = S_IFCHR | 0666, op.dev = makedev(1, 3), op.uid = 0, op.gid = 0;
	op.has = 1u << RUNO_FIELD_UID | 1u << RUNO_FIELD_GID;
	CHECK(run(op) == 0 && stat(t_join(R, "/dev/null"), &st) == 0 && S_ISCHR(st.st_mode) &&
	      st.st_rdev == makedev(1, 3));
	CHECK(run(op) == 0); /* EEXIST is fine */

	op = t_op(RUNO_OP_SYMLINK_IN_ROOT, "/dev/fd");
	op.source = "/proc/self/fd";
	CHECK(run(op) == 0 && run(op) == 0);
	op.source = "/x", op.opts = RUNO_MOUNTOPT_REPLACE;
	CHECK(run(op) == 0 && readlink(t_join(R, "/dev/fd"), link, sizeof(link)) == 2 && strcmp(link, "/x") == 0);

	op = t_op(RUNO_OP_MKDIR_IN_ROOT, "/abs/a/b/c");
	op.mode = 0700, op.has = 1u << RUNO_FIELD_MODE;
	CHECK(run(op) == 0 && stat(t_join(R, "/a/b/c"), &st) == 0 && (st.st_mode & 0777) == 0700);
}

static void plain_paths(void)
{
	struct runo_op op = t_op(RUNO_OP_MOUNT, t_join(R, "/plain"));
	int fd;
	char c;

	mkdir(t_join(R, "/plain"), 0755);
	op.source = "tmpfs", op.fstype = "tmpfs";
	CHECK(run(op) == 0 && is_tmpfs(t_join(R, "/plain")) && creat_errno(t_join(R, "/plain")) == 0);
	op = t_op(RUNO_OP_REMOUNT, "/up/plain"), op.flags = MS_RDONLY;
	CHECK(run(op) == 0 && creat_errno(t_join(R, "/plain")) == EROFS);

	op = t_op(RUNO_OP_MASK_PATH, "/data");
	CHECK(run(op) == 0 && is_tmpfs(t_join(R, "/data")) && creat_errno(t_join(R, "/data")) == EROFS);
	mkdir(t_join(R, "/data2"), 0755);
	op = t_op(RUNO_OP_MASK_PATH, "/up/data2"); /* the same tmpfs, cloned */
	CHECK(run(op) == 0 && is_tmpfs(t_join(R, "/data2")) && creat_errno(t_join(R, "/data2")) == EROFS);
	op = t_op(RUNO_OP_MASK_PATH, "/etc/hn");
	fd = (run(op) == 0) ? open(t_join(R, "/etc/hn"), O_RDONLY) : -1;
	CHECK(fd >= 0 && read(fd, &c, 1) == 0);
	close(fd);
	op = t_op(RUNO_OP_MASK_PATH, "/nothing");
	CHECK(run(op) == 0);

	mkdir(t_join(R, "/ro"), 0755);
	op = t_op(RUNO_OP_READONLY_PATH, "/ro");
	CHECK(run(op) == 0 && creat_errno(t_join(R, "/ro")) == EROFS && creat_errno(R) == 0);
	op = t_op(RUNO_OP_READONLY_PATH, "/nothing");
	CHECK(run(op) == 0);
	op = t_op(RUNO_OP_MOUNT, t_join(R, "/nothing"));
	CHECK(run(op) == -ENOENT);

	/* HIDE_MOUNT detaches a mount (a missing one is fine). */
	mkdir(t_join(R, "/hide"), 0755);
	CHECK(mount("tmpfs", t_join(R, "/hide"), "tmpfs", 0, NULL) == 0 && is_tmpfs(t_join(R, "/hide")));
	op = t_op(RUNO_OP_HIDE_MOUNT, t_join(R, "/hide"));
	CHECK(run(op) == 0 && !is_tmpfs(t_join(R, "/hide")));
	op = t_op(RUNO_OP_HIDE_MOUNT, t_join(R, "/nothing"));
	CHECK(run(op) == 0);
}

static void pivot(void)
{
	struct runo_op op = t_op(RUNO_OP_PIVOT_ROOT, R);

	/* A namespace of its own: pivot_root moves every process of the old one.
	 * The root is opened again in it, as the init opens it after setns or
	 * unshare (PIVOT_ROOT enters the root SET_ROOT opened). */
	CHECK(unshare(CLONE_NEWNS) == 0);
	CHECK(run(t_op(RUNO_OP_SET_ROOT, R)) == 0);
	CHECK(run(op) == 0 && access("/a/b/c", F_OK) == 0 && access(R, F_OK) < 0);
}

static void move_root(void)
{
	struct runo_op op = t_op(RUNO_OP_MOVE_ROOT, R);
	int rc;

	CHECK(unshare(CLONE_NEWNS) == 0);
	CHECK(run(t_op(RUNO_OP_SET_ROOT, R)) == 0);
	if ((rc = run(op)) < 0)
		fprintf(stderr, "  move_root: %s\n", runo_fail_msg());
	CHECK(rc == 0 && access("/a/b/c", F_OK) == 0 && access(R, F_OK) < 0);
}

/* CHROOT with an fd enters that directory, not its target path, and
 * closes the fd (exec's jail: a host fd never reaches the program). */
static void chroot_fd(void)
{
	struct runo_op op = t_op(RUNO_OP_CHROOT, "/nowhere");
	int fd = open(R, O_PATH | O_DIRECTORY | O_CLOEXEC);

	CHECK(fd >= 0);
	op.fd = fd, op.has |= 1ull << RUNO_FIELD_FD;
	CHECK(run(op) == 0 && access("/a/b/c", F_OK) == 0 && access(R, F_OK) < 0);
	CHECK(fcntl(fd, F_GETFD) < 0 && errno == EBADF);
}

static void in_namespace(void)
{
	char marker[600];
	struct runo_op op;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		CHECK(!"unshare(CLONE_NEWNS)");
		return;
	}
	snprintf(R, sizeof(R), "%s", t_scratch("mroot"));
	snprintf(H, sizeof(H), "%s", t_scratch("mhost"));
	snprintf(marker, sizeof(marker), "%s/marker", H);
	mkdir(marker, 0755);
	/* pivot_root and MS_MOVE need the root to be a mount point. */
	CHECK(mount(R, R, NULL, MS_BIND, NULL) == 0);
	symlink("../../../..", t_join(R, "/up"));
	symlink("/", t_join(R, "/abs"));
	runo_ctx_init(&ctx);
	runo_ctx_open_procfs(&ctx);
	op = t_op(RUNO_OP_MKDIR_IN_ROOT, "/x");
	CHECK(run(op) == -EBADF);
	op = t_op(RUNO_OP_SET_ROOT, R);
	CHECK(run(op) == 0 && ctx.rootfd >= 0);
	mount_in_root();
	nodes();
	plain_paths();
	t_in_child(pivot);
	t_in_child(move_root);
	t_in_child(chroot_fd);
}

void test_mounts(void)
{
	if (!t_root()) {
		SKIP("mount ops need root");
		return;
	}
	t_in_child(in_namespace);
}
