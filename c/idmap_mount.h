/*
 * Idmapped mounts attached by the init (c/idmap_mount.c).
 */
#ifndef RUNO_IDMAP_MOUNT_H
#define RUNO_IDMAP_MOUNT_H

#include "bootstrap.h"

struct runo_ctx;

/* ATTACH_TREE_IN_ROOT: move_mount the detached tree FD onto TARGET in root. */
int runo_op_attach_tree_in_root(const struct runo_op *op, struct runo_ctx *ctx);

#endif
