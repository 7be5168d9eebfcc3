/*
 * Operations under a kept mount (UNDER and SUBPATH): runo_ctx_base picks
 * the slot's fd instead of the root, and the node, symlink, mount, tree
 * and console targets are resolved inside it, confined to it as
 * RESOLVE_IN_ROOT confines a path to the root, whatever the root's path to
 * that mount has become (the rootfs's dev swapped for a symlink).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../c/console.h"
#include "../../c/err.h"
#include "../../c/executor.h"
#include "../../c/ids.h"
#include "test.h"

#define TMPFS_MAGIC_ 0x01021994

static struct runo_ctx ctx;
static char R[256];
static int host_ns = -1; /* the mount namespace before ours */

static struct runo_op under(struct runo_op op, uint32_t slot, const char *subpath)
{
	op.under = slot, op.subpath = subpath;
	op.has |= 1ull << RUNO_FIELD_UNDER | 1ull << RUNO_FIELD_SUBPATH;
	return op;
}

static int run(struct runo_op op)
{
	return runo_run_op(&op, &ctx);
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* How many entries dir has, "." and ".." aside. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d != NULL)
		closedir(d);
	return d != NULL ? n : -1;
}

static int fail_has(int rc, int want, const char *text)
{
	int ok = rc == want && strstr(runo_fail_msg(), text) != NULL;

	if (!ok)
		fprintf(stderr, "  rc %d, message: %s (wanted %d, %s)\n", rc, runo_fail_msg(), want, text);
	return ok;
}

/* Which fd and path runo_ctx_base picks, and what it refuses. */
static void base_choice(void)
{
	struct runo_op op = t_op(RUNO_OP_MKNOD_IN_ROOT, "/dev/null");
	struct runo_base b = { -1, NULL };
	int dir = open(t_join(R, "/slotdir"), O_PATH | O_DIRECTORY | O_CLOEXEC);

	CHECK(fail_has(runo_ctx_base(&ctx, &op, &b), -EBADF, "no SET_ROOT before it"));
	CHECK(run(t_op(RUNO_OP_SET_ROOT, R)) == 0);
	CHECK(runo_ctx_base(&ctx, &op, &b) == 0 && b.fd == ctx.rootfd && b.path == op.target);
	/* UNDER names a slot; an empty one is refused, naming the target. */
	op = under(op, 2, "null");
	CHECK(fail_has(runo_ctx_base(&ctx, &op, &b), -EBADF, "\"/dev/null\": no mount kept in slot 2"));
	ctx.slots[2] = dir;
	CHECK(runo_ctx_base(&ctx, &op, &b) == 0 && b.fd == dir && strcmp(b.path, "null") == 0);
	op = under(op, RUNO_MAX_MOUNT_SLOTS, "null");
	CHECK(fail_has(runo_ctx_base(&ctx, &op, &b), -EINVAL, "out of range"));
	/* One without the other is no plan runo sends. */
	op = t_op(RUNO_OP_MKNOD_IN_ROOT, "/dev/null");
	op.under = 2, op.has |= 1ull << RUNO_FIELD_UNDER;
	CHECK(fail_has(runo_ctx_base(&ctx, &op, &b), -EINVAL, "UNDER and SUBPATH go together"));
	op = t_op(RUNO_OP_MKNOD_IN_ROOT, "/dev/null");
	op.subpath = "null", op.has |= 1ull << RUNO_FIELD_SUBPATH;
	CHECK(fail_has(runo_ctx_base(&ctx, &op, &b), -EINVAL, "UNDER and SUBPATH go together"));
	/* runo_ctx_close closes it with the other slots. */
}

/*
 * Nodes and symlinks under a slot (here a plain directory's fd: no mount
 * needed) land in it, while TARGET by path from the root would follow the
 * root's dev, a symlink to alt. ".." and absolute symlinks stay inside.
 */
static void nodes_under(void)
{
	struct runo_op op = t_op(RUNO_OP_MKNOD_IN_ROOT, "/dev/fifo");
	char link[64] = { 0 };

	op.mode = S_IFIFO | 0600;
	CHECK(run(under(op, 2, "fifo")) == 0 && exists(t_join(R, "/slotdir/fifo")) &&
	      !exists(t_join(R, "/alt/fifo")));
	op.target = "/dev/sub/fifo";
	CHECK(run(under(op, 2, "sub/fifo")) == 0 && exists(t_join(R, "/slotdir/sub/fifo")));
	op.target = "/dev/up";
	CHECK(run(under(op, 2, "../../up")) == 0 && exists(t_join(R, "/slotdir/up")) && !exists(t_join(R, "/up")));
	CHECK(symlink("/abs", t_join(R, "/slotdir/lnk")) == 0 && mkdir(t_join(R, "/slotdir/abs"), 0755) == 0);
	op.target = "/dev/lnk/fifo";
	CHECK(run(under(op, 2, "lnk/fifo")) == 0 && exists(t_join(R, "/slotdir/abs/fifo")) &&
	      !exists(t_join(R, "/abs/fifo")));
	/* Without UNDER the same op goes by path, through the root's dev. */
	op.target = "/dev/bypath";
	CHECK(run(op) == 0 && exists(t_join(R, "/alt/bypath")) && !exists(t_join(R, "/slotdir/bypath")));

	op = t_op(RUNO_OP_SYMLINK_IN_ROOT, "/dev/ptmx");
	op.source = "pts/ptmx", op.opts = RUNO_MOUNTOPT_REPLACE;
	CHECK(run(under(op, 2, "ptmx")) == 0 && !exists(t_join(R, "/alt/ptmx")));
	CHECK(readlink(t_join(R, "/slotdir/ptmx"), link, sizeof(link)) == 8 && strcmp(link, "pts/ptmx") == 0);
}

/* Renames from the host's mount namespace, where from is no mount point:
 * what another container sharing the rootfs can do meanwhile. */
static int rename_from_host(const char *from, const char *to)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(setns(host_ns, CLONE_NEWNS) == 0 && rename(from, to) == 0 ? 0 : 1);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static int is_tmpfs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == TMPFS_MAGIC_;
}

/* The /dev/console bind under slot 5 (in a child: the op makes the pty
 * its controlling terminal and fds 0-2; stderr is put back for messages). */
static void console_under(void)
{
	struct runo_op op = under(t_op(RUNO_OP_CONSOLE, "/mdev/console"), 5, "console");
	struct stat st;
	int sv[2], err = dup(2);

	op.source = "/dev/pts/ptmx";
	CHECK(setsid() > 0 && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
	op.fd = sv[1];
	close(ctx.rootfd);
	ctx.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC); /* the host's devpts */
	CHECK(runo_op_console(&op, &ctx) == 0);
	dup2(err, 2);
	CHECK(stat(t_join(R, "/mdev.moved/console"), &st) == 0 && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 136 && !exists(t_join(R, "/alt/console")));
}

/*
 * The /dev tmpfs kept in slot 5, then the rootfs's dev renamed away and
 * replaced by a symlink to alt: a mount, a device node, a bound file and an
 * attached tree under it all land in the tmpfs, nothing in alt.
 */
static void mounts_under(void)
{
	struct runo_op op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/mdev");
	int tree, rc;

	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	op.slot = 5, op.has |= 1ull << RUNO_FIELD_SLOT;
	CHECK((rc = run(op)) == 0 && ctx.slots[5] >= 0);
	if (rc < 0)
		fprintf(stderr, "  mounts_under: %s\n", runo_fail_msg());
	CHECK(rename_from_host(t_join(R, "/mdev"), t_join(R, "/mdev.moved")) && symlink("alt", t_join(R, "/mdev")) == 0);

	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/mdev/shm");
	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	CHECK(run(under(op, 5, "shm")) == 0 && is_tmpfs(t_join(R, "/mdev.moved/shm")) && !exists(t_join(R, "/alt/shm")));
	op = t_op(RUNO_OP_MKNOD_IN_ROOT, "/mdev/shm/null"); /* across the submount */
	op.mode = S_IFCHR | 0666, op.dev = makedev(1, 3);
	CHECK(run(under(op, 5, "shm/null")) == 0 && exists(t_join(R, "/mdev.moved/shm/null")));
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/mdev/hostname");
	op.source = "/etc/hostname", op.fstype = "bind", op.flags = MS_BIND, op.opts = RUNO_MOUNTOPT_MKFILE;
	CHECK(run(under(op, 5, "hostname")) == 0 && exists(t_join(R, "/mdev.moved/hostname")) &&
	      !exists(t_join(R, "/alt/hostname")));
	tree = open_tree(AT_FDCWD, "/etc", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	op = t_op(RUNO_OP_ATTACH_TREE_IN_ROOT, "/mdev/etc");
	op.fd = tree;
	CHECK(tree >= 0 && run(under(op, 5, "etc")) == 0 && exists(t_join(R, "/mdev.moved/etc/hostname")) &&
	      !exists(t_join(R, "/alt/etc")));
	/* The mount's own root is no target: it would cover the whole mount. */
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/mdev");
	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_FSMOUNT;
	CHECK(fail_has(run(under(op, 5, ".")), -EINVAL, "root of the mount it is resolved under"));
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/mdev/../etc");
	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_FSMOUNT;
	CHECK(fail_has(run(under(op, 5, "..")), -EINVAL, "root of the mount it is resolved under"));
	if (access("/dev/pts/ptmx", F_OK) == 0)
		t_in_child(console_under);
	else
		SKIP("the console under a slot needs /dev/pts/ptmx");
	/* After DROP_MOUNT_SLOTS nothing is resolved in it any more. */
	CHECK(run(t_op(RUNO_OP_DROP_MOUNT_SLOTS, "")) == 0);
	op = t_op(RUNO_OP_MKNOD_IN_ROOT, "/mdev/late");
	op.mode = S_IFIFO | 0600;
	CHECK(fail_has(run(under(op, 5, "late")), -EBADF, "no mount kept in slot 5"));
	CHECK(!exists(t_join(R, "/mdev.moved/late")) && entries(t_join(R, "/alt")) == 1); /* nodes_under's bypath */
}

static void in_namespace(void)
{
	host_ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (host_ns < 0 || unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		CHECK(!"unshare(CLONE_NEWNS)");
		return;
	}
	/* The root opened before the unshare is a mount of the old namespace. */
	CHECK(run(t_op(RUNO_OP_SET_ROOT, R)) == 0);
	mounts_under();
}

void test_under(void)
{
	snprintf(R, sizeof(R), "%s", t_scratch("under"));
	CHECK(mkdir(t_join(R, "/slotdir"), 0755) == 0 && mkdir(t_join(R, "/alt"), 0755) == 0);
	CHECK(symlink("alt", t_join(R, "/dev")) == 0);
	runo_ctx_init(&ctx);
	runo_ctx_open_procfs(&ctx);
	base_choice();
	nodes_under();
	if (t_root())
		t_in_child(in_namespace);
	else
		SKIP("mounts under a kept slot need root");
	runo_ctx_close(&ctx);
}
