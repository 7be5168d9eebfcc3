/*
 * The plan's node operations: MKNOD_IN_ROOT, SYMLINK_IN_ROOT and
 * MKDIR_IN_ROOT. Each resolves the parent of its path in its base
 * (runo_ctx_base: the root, or the mount kept in slot UNDER, such as the
 * container's /dev tmpfs) and acts on that directory fd, so the node is
 * made where the path was resolved, whatever is renamed meanwhile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "err.h"
#include "executor.h"
#include "ids.h"
#include "inroot.h"

/* Chowns the node base in dirfd made as op asked, by fd and only once it
 * is known to be that node (the directory may be shared). */
static int chown_node(const struct runo_op *op, int dirfd, const char *base, uid_t uid, gid_t gid)
{
	struct stat st;
	int fd = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return runo_fail(errno, "open \"%s\" in root", op->target);
	if (fstat(fd, &st) < 0)
		rc = runo_fail(errno, "stat \"%s\" in root", op->target);
	else if ((st.st_mode & S_IFMT) != (op->mode & S_IFMT) ||
		 (!S_ISFIFO(st.st_mode) && st.st_rdev != (dev_t)op->dev))
		rc = runo_fail_plain(EEXIST, "\"%s\" in root was replaced after mknod", op->target);
	else if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0)
		rc = runo_fail(errno, "chown \"%s\" in root", op->target);
	close(fd);
	return rc;
}

/* The parent directory of the op's path in its base (made like mkdir -p),
 * its last component in base; a runo_fail naming what for. */
static int node_parent(const struct runo_op *op, struct runo_ctx *ctx, char *base, size_t cap,
		       const char *what)
{
	struct runo_base b;
	int dirfd, rc;

	if ((rc = runo_ctx_base(ctx, op, &b)) < 0)
		return rc;
	if ((dirfd = inroot_parent(b.fd, b.path, base, cap)) < 0)
		return runo_fail(-dirfd, "%s \"%s\" in root: parent", what, op->target);
	return dirfd;
}

int runo_op_mknod_in_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *t = op->target;
	char base[256];
	cleanup_close int dirfd = -1;
	uid_t uid = RUNO_HAS(op, RUNO_FIELD_UID) ? op->uid : (uid_t)-1;
	gid_t gid = RUNO_HAS(op, RUNO_FIELD_GID) ? op->gid : (gid_t)-1;

	if ((dirfd = node_parent(op, ctx, base, sizeof(base), "mknod")) < 0)
		return dirfd;
	/* As runc: a node already there is left as it is. */
	if (mknodat(dirfd, base, op->mode, (dev_t)op->dev) < 0)
		return errno == EEXIST ? 0 : runo_fail(errno, "mknod \"%s\" in root", t);
	if (uid != (uid_t)-1 || gid != (gid_t)-1)
		return chown_node(op, dirfd, base, uid, gid);
	return 0;
}

int runo_op_symlink_in_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *t = op->target;
	char base[256];
	cleanup_close int dirfd = -1;

	if ((dirfd = node_parent(op, ctx, base, sizeof(base), "symlink")) < 0)
		return dirfd;
	if ((op->opts & RUNO_MOUNTOPT_REPLACE) && unlinkat(dirfd, base, 0) < 0 && errno != ENOENT)
		return runo_fail(errno, "unlink \"%s\" in root", t);
	if (symlinkat(op->source, dirfd, base) < 0 &&
	    (errno != EEXIST || (op->opts & RUNO_MOUNTOPT_REPLACE)))
		return runo_fail(errno, "symlink \"%s\" to \"%s\" in root", t, op->source);
	return 0;
}

int runo_op_mkdir_in_root(const struct runo_op *op, struct runo_ctx *ctx)
{
	mode_t mode = RUNO_HAS(op, RUNO_FIELD_MODE) ? (mode_t)op->mode : 0755;
	struct runo_base b;
	int fd, rc;

	if ((rc = runo_ctx_base(ctx, op, &b)) < 0)
		return rc;
	if ((fd = inroot_mkdir_all(b.fd, b.path, mode)) < 0)
		return runo_fail(-fd, "mkdir \"%s\" in root", op->target);
	close(fd);
	return 0;
}
