/*
 * Mount and root operations of the plan (the node ones are in c/nodes.c).
 * "In root" operations resolve their TARGET inside the SET_ROOT fd
 * (c/inroot.c), or their SUBPATH inside the mount kept in slot UNDER
 * (runo_ctx_base), and mount onto that fd, named through the verified
 * procfs handle (procfs_mount_on) or attached with move_mount, so the
 * kernel acts on the very file that was resolved.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kernel_api.h"
#include "cleanup.h"
#include "err.h"
#include "executor.h"
#include "ids.h"
#include "fdmount.h"
#include "inroot.h"
#include "procfs.h"

#define ATIME_FLAGS (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)

/*
 * The flags a mount in a user namespace may not lose on remount (the kernel
 * locks them, mount(2) EPERM): nosuid, nodev, noexec, rdonly and, unless the
 * remount names an atime mode itself, the atime flags. As runc does, these
 * are added only on a retry after EPERM, so an unlocked mount can still be
 * made read-write.
 */
static unsigned long locked_flags(const struct statvfs *sv, unsigned long req)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_RDONLY, MS_RDONLY }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long out = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv->f_flag & map[i].st)
			out |= map[i].ms;
	if (req & ATIME_FLAGS)
		out &= ~(unsigned long)ATIME_FLAGS;
	return out;
}

/* A remount of the mount fd names; on EPERM retry with its locked flags. */
static int remount_keep_locked(int proc, int fd, unsigned long flags, const char *data)
{
	struct statvfs sv;
	unsigned long extra;
	int rc = procfs_mount_on(proc, NULL, fd, NULL, flags, data);

	if (rc != -EPERM || fstatvfs(fd, &sv) < 0)
		return rc;
	extra = locked_flags(&sv, flags);
	if ((flags | extra) == flags)
		return -EPERM;
	return procfs_mount_on(proc, NULL, fd, NULL, flags | extra, data);
}

/* A mount's source for messages: the optional SOURCE, or none. */
static const char *source_name(const struct runo_op *op)
{
	return op->source != NULL ? op->source : "none";
}

/* The optional FSTYPE, for messages and fsopen. */
static const char *fstype_name(const struct runo_op *op)
{
	return op->fstype != NULL ? op->fstype : "none";
}

int runo_op_mount(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (mount(op->source, op->target, op->fstype, (unsigned long)op->flags, op->data) < 0)
		return runo_fail(errno, "mount \"%s\" on \"%s\"", source_name(op), op->target);
	return 0;
}

int runo_op_set_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	int fd = open(op->target, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return runo_fail(errno, "open root \"%s\"", op->target);
	if (ctx->rootfd >= 0)
		close(ctx->rootfd);
	ctx->rootfd = fd;
	return 0;
}

/* What MOUNT_IN_ROOT creates for a missing target: S_IFDIR, S_IFREG or 0. */
static int create_kind(const struct runo_op *op, mode_t *kind)
{
	struct stat st;

	*kind = 0;
	if (op->opts & RUNO_MOUNTOPT_MKDIR)
		*kind = S_IFDIR;
	else if (op->opts & RUNO_MOUNTOPT_MKFILE)
		*kind = S_IFREG;
	else if (op->opts & RUNO_MOUNTOPT_LIKE_SOURCE) {
		if (op->source == NULL)
			return runo_fail_plain(EINVAL, "\"%s\": LIKE_SOURCE without a source", op->target);
		if (stat(op->source, &st) < 0)
			return runo_fail(errno, "stat \"%s\"", op->source);
		*kind = S_ISDIR(st.st_mode) ? S_IFDIR : S_IFREG;
	}
	return 0;
}

/* Opens (creating if asked) the target of a MOUNT_IN_ROOT in its base;
 * -ENOENT with no message when it is missing and IF_EXISTS says to skip. */
static int open_mount_target(const struct runo_op *op, const struct runo_base *b)
{
	const char *t = op->target;
	int fd = inroot_open(b->fd, b->path, O_PATH), rc;
	mode_t kind;

	if (fd != -ENOENT)
		return fd < 0 ? runo_fail(-fd, "open \"%s\" in root", t) : fd;
	if (op->opts & RUNO_MOUNTOPT_IF_EXISTS)
		return -ENOENT;
	if ((rc = create_kind(op, &kind)) < 0)
		return rc;
	if (kind == S_IFDIR)
		fd = inroot_mkdir_all(b->fd, b->path, 0755);
	else if (kind == S_IFREG)
		fd = inroot_create_file(b->fd, b->path, 0644);
	if (fd < 0)
		return runo_fail(-fd, "%s \"%s\" in root", kind ? "create" : "open", t);
	return fd;
}

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* NOT_ON_PROCFS: the resolved target must not be on a procfs. */
static int check_not_on_procfs(const struct runo_op *op, int fd)
{
	struct statfs sfs;

	if (!(op->opts & RUNO_MOUNTOPT_NOT_ON_PROCFS))
		return 0;
	if (fstatfs(fd, &sfs) < 0)
		return runo_fail(errno, "statfs \"%s\" in root", op->target);
	if (sfs.f_type == PROC_SUPER_MAGIC)
		return runo_fail_plain(EPERM, "Cannot mount on \"%s\": it resolves inside /proc",
				       op->target);
	return 0;
}

/* ORDINARY_DIR (runc: "proc must be mounted on ordinary directory"): the
 * target, reached with no symlink at all, must be a directory. Replaces
 * *fd with that lookup's result. */
static int check_ordinary_dir(const struct runo_op *op, const struct runo_base *b, int *fd)
{
	int dir;

	if (!(op->opts & RUNO_MOUNTOPT_ORDINARY_DIR))
		return 0;
	dir = inroot_open_no_symlinks(b->fd, b->path, O_PATH | O_DIRECTORY);
	if (dir == -ELOOP || dir == -ENOTDIR)
		return runo_fail_plain(-dir, "Cannot mount \"%s\" on \"%s\": it must be an ordinary directory, with no symlink on the way",
				       fstype_name(op), op->target);
	if (dir < 0)
		return runo_fail(-dir, "open \"%s\" in root", op->target);
	close(*fd);
	*fd = dir;
	return 0;
}

/* The failure of fdmount_new_fs, with the option and the kernel's word
 * when it has them: `fsmount "tmpfs" for "/run": option "size=1x"
 * (tmpfs: Bad value for 'size'): Invalid argument`. */
static int new_fs_failed(const struct runo_op *op, int err, const struct fdmount_why *why)
{
	const char *t = op->target, *type = fstype_name(op);

	if (why->option[0] != '\0' && why->log[0] != '\0')
		return runo_fail(err, "fsmount \"%s\" for \"%s\": option \"%s\" (%s)", type, t,
				 why->option, why->log);
	if (why->option[0] != '\0')
		return runo_fail(err, "fsmount \"%s\" for \"%s\": option \"%s\"", type, t, why->option);
	if (why->log[0] != '\0')
		return runo_fail(err, "fsmount \"%s\" for \"%s\" (%s)", type, t, why->log);
	return runo_fail(err, "fsmount \"%s\" for \"%s\"", type, t);
}

/* The new mount's fstatfs magic must be NUM, when the op gives one. */
static int check_magic(const struct runo_op *op, int mnt)
{
	struct statfs sfs;

	if (!RUNO_HAS(op, RUNO_FIELD_NUM))
		return 0;
	if (fstatfs(mnt, &sfs) < 0)
		return runo_fail(errno, "statfs the new \"%s\"", fstype_name(op));
	if ((uint64_t)sfs.f_type != op->num)
		return runo_fail_plain(EXDEV, "the new \"%s\" mount has magic 0x%lx, not 0x%x",
				       fstype_name(op), (unsigned long)sfs.f_type, op->num);
	return 0;
}

/* A filesystem's root is a directory: move_mount says EINVAL onto anything
 * else (a FIFO, a device node, a file), where mount(2) and runc say ENOTDIR. */
static int attach_failed(const struct runo_op *op, int err, int fd)
{
	struct stat st;

	if (err == EINVAL && fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		return runo_fail(ENOTDIR, "Cannot mount \"%s\" on \"%s\"", fstype_name(op), op->target);
	return runo_fail(err, "move_mount \"%s\" onto \"%s\"", fstype_name(op), op->target);
}

/* FSMOUNT: a new filesystem made detached, checked to be of the magic NUM
 * (fstatfs) when NUM is given, and only then attached onto fd; its fd is
 * kept for the operations ON_LAST_MOUNT. */
static int mount_new_fs(const struct runo_op *op, struct runo_ctx *ctx, int fd)
{
	struct fdmount_why why;
	int mnt = fdmount_new_fs(fstype_name(op), op->source, (unsigned long)op->flags, op->data,
				 &why);
	int rc = 0;

	if (mnt < 0)
		return new_fs_failed(op, -mnt, &why);
	if ((rc = check_magic(op, mnt)) == 0 && (rc = fdmount_attach(mnt, fd)) < 0)
		rc = attach_failed(op, -rc, fd);
	if (rc < 0) {
		close(mnt);
		return rc;
	}
	runo_ctx_keep_mount(ctx, mnt);
	return 0;
}

/* A bind: the source cloned (open_tree, with what is under it for MS_REC)
 * and attached onto fd; the clone's fd, now that mount, is kept for the
 * operations ON_LAST_MOUNT. */
static int bind_on_fd(const struct runo_op *op, struct runo_ctx *ctx, int fd)
{
	unsigned int how = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			   ((unsigned long)op->flags & MS_REC ? AT_RECURSIVE : 0);
	int tree = open_tree(AT_FDCWD, source_name(op), how), rc;

	if (tree < 0)
		return runo_fail(errno, "bind \"%s\" on \"%s\"", source_name(op), op->target);
	if ((rc = fdmount_attach(tree, fd)) < 0) {
		close(tree);
		return runo_fail(-rc, "bind \"%s\" on \"%s\"", source_name(op), op->target);
	}
	runo_ctx_keep_mount(ctx, tree);
	return 0;
}

/* A bind (bind_on_fd), or a remount or propagation change by mount(2) of
 * the mount at fd, named through the procfs handle. */
static int mount_on_fd(const struct runo_op *op, struct runo_ctx *ctx, int fd)
{
	unsigned long flags = (unsigned long)op->flags;
	int proc, rc;

	if ((flags & MS_BIND) && !(flags & MS_REMOUNT)) {
		/* A bind source is a host path before pivot_root; a relative
		 * one would resolve against the init's cwd. */
		if (source_name(op)[0] != '/')
			return runo_fail_plain(EINVAL, "bind \"%s\": the source must be absolute",
					       source_name(op));
		return bind_on_fd(op, ctx, fd);
	}
	/* A new filesystem is made detached (FSMOUNT), keeping its fd: one made
	 * by mount(2) would leave the operations after it to resolve the path. */
	if (op->fstype != NULL && !(flags & MS_REMOUNT))
		return runo_fail_plain(EINVAL, "mount \"%s\" on \"%s\": a new filesystem needs FSMOUNT",
				       fstype_name(op), op->target);
	if ((proc = runo_ctx_proc(ctx, "mount")) < 0)
		return proc;
	if ((op->opts & RUNO_MOUNTOPT_KEEP_LOCKED) && (flags & MS_REMOUNT))
		rc = remount_keep_locked(proc, fd, flags, op->data);
	else
		rc = procfs_mount_on(proc, op->source, fd, op->fstype, flags, op->data);
	if (!(op->opts & RUNO_MOUNTOPT_ON_LAST_MOUNT))
		runo_ctx_keep_mount(ctx, -1); /* a new mount(2) mount keeps no fd */
	if (rc < 0)
		return runo_fail(-rc, "mount \"%s\" on \"%s\"", source_name(op), op->target);
	return 0;
}

/* The same directory of the same mount as the root it was resolved in: an
 * image symlink (`/data -> /`) led the target there. A mount on it would
 * cover the whole rootfs (or the whole mount of UNDER), and the pivot would
 * enter the volume. */
static int check_not_root(const struct runo_op *op, const struct runo_base *b, int fd)
{
	const unsigned mask = STATX_INO | STATX_MNT_ID;
	struct statx target, root;

	if (statx(fd, "", AT_EMPTY_PATH, mask, &target) < 0 ||
	    statx(b->fd, "", AT_EMPTY_PATH, mask, &root) < 0)
		return runo_fail(errno, "statx \"%s\" in root", op->target);
	if (target.stx_mnt_id == root.stx_mnt_id && target.stx_ino == root.stx_ino &&
	    target.stx_dev_major == root.stx_dev_major && target.stx_dev_minor == root.stx_dev_minor)
		return runo_fail_plain(EINVAL, "Cannot mount on \"%s\": it resolves to the %s",
				       op->target, RUNO_HAS(op, RUNO_FIELD_UNDER)
				       ? "root of the mount it is resolved under" : "container's root");
	return 0;
}

/* MOUNT_IN_ROOT but SLOT: 0, 1 when IF_EXISTS skipped it, or -errno. The
 * target is resolved in its base (runo_ctx_base): the root, or the mount
 * kept in slot UNDER. */
static int mount_in_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	struct runo_base b;
	int fd, rc;

	if (op->opts & RUNO_MOUNTOPT_ON_LAST_MOUNT) {
		if ((rc = runo_ctx_need_root(ctx, op->target)) < 0)
			return rc;
		if (ctx->last_mount < 0)
			return runo_fail_plain(EBADF, "\"%s\": no mount made before it to act on",
					       op->target);
		return mount_on_fd(op, ctx, ctx->last_mount);
	}
	if ((rc = runo_ctx_base(ctx, op, &b)) < 0)
		return rc;
	if ((fd = open_mount_target(op, &b)) < 0)
		return fd == -ENOENT && (op->opts & RUNO_MOUNTOPT_IF_EXISTS) ? 1 : fd;
	if ((rc = check_ordinary_dir(op, &b, &fd)) == 0 && (rc = check_not_on_procfs(op, fd)) == 0 &&
	    (rc = check_not_root(op, &b, fd)) == 0)
		rc = (op->opts & RUNO_MOUNTOPT_FSMOUNT) ? mount_new_fs(op, ctx, fd)
							: mount_on_fd(op, ctx, fd);
	close(fd);
	return rc;
}

int runo_op_mount_in_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	int rc = mount_in_root(op, ctx);

	if (rc == 1 && RUNO_HAS(op, RUNO_FIELD_SLOT))
		return runo_fail_plain(ENOENT, "\"%s\": skipped, so no mount to keep in slot %u",
				       op->target, op->slot);
	return rc == 0 ? runo_ctx_keep_slot(ctx, op) : rc < 0 ? rc : 0;
}

static int pivot_into(int newroot, int oldroot)
{
	if (fchdir(newroot) < 0)
		return runo_fail(errno, "fchdir to the new root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return runo_fail(errno, "pivot_root");
	/* The old root now sits under the new one at "."; detach it. */
	if (fchdir(oldroot) < 0)
		return runo_fail(errno, "fchdir to the old root");
	if (mount("", ".", "", MS_SLAVE | MS_REC, NULL) < 0)
		return runo_fail(errno, "make the old root rslave");
	if (umount2(".", MNT_DETACH) < 0)
		return runo_fail(errno, "umount the old root");
	if (chdir("/") < 0)
		return runo_fail(errno, "chdir \"/\"");
	return 0;
}

/*
 * The directory PIVOT_ROOT, MOVE_ROOT and CHROOT enter: CHROOT's fd when
 * it has one (exec's jail: the init's root, which runo opened), else the
 * root SET_ROOT opened when there is one (create: the rootfs right after
 * its bind, so a path swapped since, by a createContainer hook or another
 * process of a joined mount namespace, is not followed), else the target
 * by path.
 */
static int jail_dir(const struct runo_op *op, struct runo_ctx *ctx)
{
	const int flags = O_DIRECTORY | O_RDONLY | O_CLOEXEC;
	int fd;

	if (RUNO_HAS(op, RUNO_FIELD_FD))
		fd = openat(op->fd, ".", flags);
	else if (ctx->rootfd >= 0)
		fd = openat(ctx->rootfd, ".", flags);
	else
		fd = open(op->target, flags);

	return fd < 0 ? runo_fail(errno, "open root \"%s\"", op->target) : fd;
}

int runo_op_pivot_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	cleanup_close int oldroot = -1, newroot = -1;

	if ((oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC)) < 0)
		return runo_fail(errno, "open \"/\"");
	if ((newroot = jail_dir(op, ctx)) < 0)
		return newroot;
	return pivot_into(newroot, oldroot);
}

/* fchdir into the jail's directory, then (MOVE_ROOT) move its mount onto
 * "/", and chroot there. */
static int enter_jail(const struct runo_op *op, struct runo_ctx *ctx, int move)
{
	const char *t = op->target;
	cleanup_close int dir = jail_dir(op, ctx);

	if (dir < 0)
		return dir;
	if (fchdir(dir) < 0)
		return runo_fail(errno, "fchdir \"%s\"", t);
	if (move && mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return runo_fail(errno, "mount --move \"%s\" on \"/\"", t);
	if (chroot(".") < 0)
		return runo_fail(errno, "chroot \"%s\"", t);
	if (chdir("/") < 0)
		return runo_fail(errno, "chdir \"/\"");
	return 0;
}

int runo_op_move_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	return enter_jail(op, ctx, 1);
}

int runo_op_chroot(const struct runo_op *op, struct runo_ctx *ctx)
{
	int rc = enter_jail(op, ctx, 0);

	/* A host fd: never left to the container's program. */
	if (RUNO_HAS(op, RUNO_FIELD_FD))
		close(op->fd);
	return rc;
}

/* --no-pivot: the host's full procfs and sysfs must not stay reachable
 * beside the chroot (the kernel lets a new user namespace mount procfs when
 * a full one is visible). Detach each, as runc's msMoveRoot, or cover it
 * where it is locked; the host never sees it (rslave first). */
int runo_op_hide_mount(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *t = op->target;

	(void)ctx;
	if (mount("", t, "", MS_SLAVE | MS_REC, NULL) < 0)
		/* Gone with a parent detached before it. */
		return errno == ENOENT ? 0 : runo_fail(errno, "make \"%s\" rslave", t);
	if (umount2(t, MNT_DETACH) == 0)
		return 0;
	if (errno != EINVAL && errno != EPERM)
		return runo_fail(errno, "umount \"%s\"", t);
	if (mount("tmpfs", t, "tmpfs", 0, NULL) < 0)
		return runo_fail(errno, "cover \"%s\" with a tmpfs", t);
	return 0;
}

/* The recursive attributes of a mount and its submounts (rro, rnosuid, ...),
 * on the mount found at TARGET in root, or ON_LAST_MOUNT on that one, or
 * on the one kept in SLOT. */
int runo_op_setattr_in_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	int fd, rc;

	if ((rc = runo_ctx_need_root(ctx, op->target)) < 0)
		return rc;
	if ((op->opts & RUNO_MOUNTOPT_ON_LAST_MOUNT) && ctx->last_mount < 0)
		return runo_fail_plain(EBADF, "\"%s\": no mount made before it to act on", op->target);
	if (RUNO_HAS(op, RUNO_FIELD_SLOT)) {
		if ((fd = runo_ctx_dup_slot(ctx, op)) < 0)
			return fd;
	} else if (op->opts & RUNO_MOUNTOPT_ON_LAST_MOUNT)
		fd = fcntl(ctx->last_mount, F_DUPFD_CLOEXEC, 0);
	else if ((fd = inroot_open(ctx->rootfd, op->target, O_PATH)) < 0)
		return runo_fail(-fd, "open \"%s\" in root", op->target);
	if (fd < 0)
		return runo_fail(errno, "dup the mount of \"%s\"", op->target);
	if ((rc = fdmount_setattr(fd, 1, op->value, op->value2)) < 0)
		rc = runo_fail(-rc, "mount_setattr \"%s\" set 0x%llx clear 0x%llx", op->target,
			       (unsigned long long)op->value, (unsigned long long)op->value2);
	close(fd);
	return rc;
}

/* REMOUNT: on the mount kept in SLOT, or the one TARGET resolves to. */
int runo_op_remount(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *t = op->target;
	unsigned long flags = MS_REMOUNT | MS_BIND | (unsigned long)op->flags;
	int proc = runo_ctx_proc(ctx, "remount"), fd, rc;

	if (proc < 0 || (rc = runo_ctx_need_root(ctx, t)) < 0)
		return proc < 0 ? proc : rc;
	if (RUNO_HAS(op, RUNO_FIELD_SLOT)) {
		if ((fd = runo_ctx_dup_slot(ctx, op)) < 0)
			return fd;
	} else if ((fd = inroot_open(ctx->rootfd, t, O_PATH)) < 0)
		return runo_fail(-fd, "open \"%s\" in root", t);
	rc = remount_keep_locked(proc, fd, flags, op->data);
	close(fd);
	return rc < 0 ? runo_fail(-rc, "remount \"%s\"", t) : 0;
}
