/*
 * ATTACH_TREE_IN_ROOT: attaches a detached mount tree onto a target in the
 * container's root. The tree is built and idmapped by the parent in the
 * host user namespace (c/userns_wrappers.c), because mount_setattr
 * (MOUNT_ATTR_IDMAP) needs CAP_SYS_ADMIN over the filesystem, which an init
 * in a user namespace of its own lacks; attaching a detached tree only
 * needs CAP_SYS_ADMIN over our own mount namespace.
 */
#define _GNU_SOURCE
#include "idmap_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel_api.h"
#include "cleanup.h"
#include "err.h"
#include "executor.h"
#include "inroot.h"

/* Opens TARGET in its base (the root, or the mount kept in slot UNDER),
 * creating it as the tree's kind (dir or file). */
static int open_target(const struct runo_base *b, const char *target, int tree)
{
	struct stat st;
	int fd = inroot_open(b->fd, b->path, O_PATH);

	if (fd != -ENOENT)
		return fd < 0 ? runo_fail(-fd, "open \"%s\" in root", target) : fd;
	if (fstat(tree, &st) < 0)
		return runo_fail(errno, "fstat mount tree fd %d", tree);
	if (S_ISDIR(st.st_mode))
		fd = inroot_mkdir_all(b->fd, b->path, 0755);
	else
		fd = inroot_create_file(b->fd, b->path, 0644);
	return fd < 0 ? runo_fail(-fd, "create \"%s\" in root", target) : fd;
}

int runo_op_attach_tree_in_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *target = op->target;
	struct runo_base b;
	cleanup_close int fd = -1;
	int rc = 0;

	if ((rc = runo_ctx_base(ctx, op, &b)) < 0)
		return rc;
	if ((fd = open_target(&b, target, op->fd)) < 0)
		return fd;
	if (move_mount(op->fd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		rc = runo_fail(errno, "move_mount idmapped tree onto \"%s\"", target);
		close(op->fd);
		return rc;
	}
	/* Attached, the tree's fd is that mount: ON_LAST_MOUNT acts through it. */
	runo_ctx_keep_mount(ctx, op->fd);
	return runo_ctx_keep_slot(ctx, op);
}
