/*
 * maskedPaths and readonlyPaths (MASK_PATH, READONLY_PATH), after
 * pivot_root. No check-then-use: the target is opened once in root, its
 * type read from that fd, and the mount made onto that fd with the new
 * mount API. A file mask is the container's /dev/null, opened once
 * (O_PATH|O_NOFOLLOW) and checked to be the char device 1:3 before it is
 * cloned (CVE-2025-31133: a /dev/null swapped for a symlink must not put
 * the attacker's file over a masked path). A directory mask is one
 * read-only tmpfs, made once and cloned for every other directory, as
 * runc 1.5 does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kernel_api.h"
#include "cleanup.h"
#include "err.h"
#include "executor.h"
#include "fdmount.h"
#include "inroot.h"

/* runc 1.5's maskDir: an empty tmpfs that cannot hold anything. */
#define MASK_TMPFS_DATA "nr_blocks=1,nr_inodes=1"

/* Opens TARGET in root as O_PATH; 0 (and *fd -1) when it does not exist. */
static int open_target(const struct runo_op *op, struct runo_ctx *ctx, int *fd)
{
	const char *t = op->target;
	int rc = runo_ctx_need_root(ctx, t);

	*fd = -1;
	if (rc < 0)
		return rc;
	if ((*fd = inroot_open(ctx->rootfd, t, O_PATH)) == -ENOENT) {
		*fd = -1;
		return 0;
	}
	return *fd < 0 ? runo_fail(-*fd, "open \"%s\" in root", t) : 0;
}

/* ctx->devnull: the container's /dev/null, opened and checked once. */
static int dev_null(struct runo_ctx *ctx)
{
	struct stat st;
	cleanup_close int fd = -1;

	if (ctx->devnull >= 0)
		return ctx->devnull;
	if ((fd = inroot_open(ctx->rootfd, "/dev/null", O_PATH | O_NOFOLLOW)) < 0)
		return runo_fail(-fd, "open \"/dev/null\" in root");
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return runo_fail_plain(EPERM, "Cannot mask paths: \"/dev/null\" in the container is not the null device (char 1:3)");
	return ctx->devnull = steal_fd(&fd);
}

/* The first masked directory gets the tmpfs itself; the rest a clone. */
static int mask_dir(const struct runo_op *op, struct runo_ctx *ctx, int fd)
{
	int mnt, rc;

	if (ctx->maskfd >= 0)
		rc = fdmount_bind(ctx->maskfd, fd, 0);
	else if ((mnt = fdmount_new_fs("tmpfs", "tmpfs", MS_RDONLY, MASK_TMPFS_DATA, NULL)) < 0)
		rc = mnt;
	else if ((rc = fdmount_attach(mnt, fd)) < 0)
		close(mnt);
	else
		ctx->maskfd = mnt;
	return rc < 0 ? runo_fail(-rc, "mount a read-only tmpfs on \"%s\"", op->target) : 0;
}

int runo_op_mask_path(const struct runo_op *op, struct runo_ctx *ctx)
{
	struct stat st;
	cleanup_close int fd = -1;
	int null, rc;

	if ((rc = open_target(op, ctx, &fd)) < 0 || fd < 0)
		return rc;
	if (fstat(fd, &st) < 0)
		return runo_fail(errno, "stat \"%s\" in root", op->target);
	if (S_ISDIR(st.st_mode))
		return mask_dir(op, ctx, fd);
	if ((null = dev_null(ctx)) < 0)
		return null;
	if ((rc = fdmount_bind(null, fd, 0)) < 0)
		return runo_fail(-rc, "bind \"/dev/null\" onto \"%s\"", op->target);
	return 0;
}

/* As runc's readonlyPath: an rbind of the path onto itself, its top mount
 * made read-only (keeping the flags it had), built detached. */
int runo_op_readonly_path(const struct runo_op *op, struct runo_ctx *ctx)
{
	cleanup_close int fd = -1, tree = -1;
	int rc;

	if ((rc = open_target(op, ctx, &fd)) < 0 || fd < 0)
		return rc;
	if ((tree = fdmount_clone(fd, 1)) < 0)
		return runo_fail(-tree, "bind \"%s\" on itself", op->target);
	if ((rc = fdmount_setattr(tree, 0, MOUNT_ATTR_RDONLY, 0)) < 0)
		return runo_fail(-rc, "make \"%s\" read-only", op->target);
	if ((rc = fdmount_attach(tree, fd)) < 0)
		return runo_fail(-rc, "attach the read-only \"%s\"", op->target);
	return 0;
}
