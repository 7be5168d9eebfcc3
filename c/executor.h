/*
 * The plan executor: runs the decoded operations in order, one short
 * function per operation code. TypeScript decided everything; these
 * functions only carry it out and describe failures (runo_fail).
 */
#ifndef RUNO_EXECUTOR_H
#define RUNO_EXECUTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootstrap.h"
#include "ids.h"

struct runo_ctx {
	int rootfd; /* SET_ROOT, or -1 */
	int procfd; /* the verified procfs handle (c/procfs.h), or -errno */
	int devnull; /* the container's /dev/null (O_PATH, checked 1:3), or -1 */
	int maskfd; /* the read-only tmpfs every masked directory gets, or -1 */
	int last_mount; /* the mount the last bind, FSMOUNT or tree attach made (ON_LAST_MOUNT), or -1 */
	int slots[RUNO_MAX_MOUNT_SLOTS]; /* mounts kept by an op's SLOT, or -1 each */
	const char *exec_path; /* LOOKUP_EXEC result */
	char exec_buf[4096];
};

typedef int (*runo_op_fn)(const struct runo_op *op, struct runo_ctx *ctx);

void runo_ctx_init(struct runo_ctx *ctx);

/* Keeps mnt (an attached mount's fd, or -1) for ON_LAST_MOUNT; closes the one before. */
void runo_ctx_keep_mount(struct runo_ctx *ctx, int mnt);

/* The op's SLOT: keeps a copy of ctx->last_mount there (none when the op
 * has no SLOT); a runo_fail when there is no mount to keep. */
int runo_ctx_keep_slot(struct runo_ctx *ctx, const struct runo_op *op);

/* A new O_CLOEXEC copy of the mount kept in the op's SLOT, or a runo_fail
 * naming the op's target. */
int runo_ctx_dup_slot(const struct runo_ctx *ctx, const struct runo_op *op);

/* 0 when SET_ROOT opened the root; else a runo_fail naming target. */
int runo_ctx_need_root(const struct runo_ctx *ctx, const char *target);

/* Where an "in root" op resolves its path: the fd to resolve in (borrowed
 * from ctx, never to be closed) and the path relative to it. */
struct runo_base {
	int fd;
	const char *path;
};

/* The op's base: with UNDER and SUBPATH, the mount kept in slot UNDER and
 * SUBPATH; without them, the root SET_ROOT opened and TARGET. A runo_fail
 * naming TARGET when that slot or root is missing, or only one of UNDER and
 * SUBPATH is given. */
int runo_ctx_base(const struct runo_ctx *ctx, const struct runo_op *op, struct runo_base *out);

/* Closes every kept slot. */
void runo_ctx_drop_slots(struct runo_ctx *ctx);

/* Opens ctx->procfd (procfs_open_private); a failure is kept as -errno and
 * reported by the first operation that needs the handle. */
void runo_ctx_open_procfs(struct runo_ctx *ctx);

/* Closes the fds the init holds for itself (root, procfs handle, masks,
 * kept mounts and slots). */
void runo_ctx_close(struct runo_ctx *ctx);

/* ctx->procfd, or a runo_fail naming what needed it. */
int runo_ctx_proc(const struct runo_ctx *ctx, const char *what);

/* Runs one operation: 0 or -errno (message in runo_fail_msg()). */
/* True when the executor has an operation with this code. */
bool runo_op_known(uint32_t code);
int runo_run_op(const struct runo_op *op, struct runo_ctx *ctx);

/* Runs ops in order; on failure returns -errno and sets *failed to the
 * index of the failing operation. A successful EXEC never returns. */
int runo_run_plan(const struct runo_op *ops, size_t n, struct runo_ctx *ctx, size_t *failed);

/* Path and mount operations (c/mounts.c). */
int runo_op_mount(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_set_root(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_mount_in_root(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_mknod_in_root(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_symlink_in_root(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_mkdir_in_root(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_pivot_root(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_move_root(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_chroot(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_remount(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_hide_mount(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_setattr_in_root(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_mask_path(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_readonly_path(const struct runo_op *op, struct runo_ctx *ctx);

/* Credential and capability operations (c/creds.c). */
int runo_op_setgroups(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_setgid(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_setuid(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_keepcaps(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_cap_bounding(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_capset(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_cap_ambient(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_no_new_privs(const struct runo_op *op, struct runo_ctx *ctx);

/* Seccomp (c/seccomp.c). */
int runo_op_seccomp(const struct runo_op *op, struct runo_ctx *ctx);

/* Scheduling operations (c/sched.c). */
int runo_op_ioprio_set(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_sched_setattr(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_set_mempolicy(const struct runo_op *op, struct runo_ctx *ctx);

/* Network links (c/link.c). */
int runo_op_link_up(const struct runo_op *op, struct runo_ctx *ctx);

#endif
