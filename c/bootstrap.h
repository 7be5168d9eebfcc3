/*
 * The decoded bootstrap message (format: lib/bootstrap/ids.ts). Strings and
 * byte arrays point into the caller's buffer, which must outlive the result.
 */
#ifndef RUNO_BOOTSTRAP_H
#define RUNO_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

/* Bit i of runo_op.has is set when field i (RUNO_FIELD_*) was present.
 * The decoder has checked each op against its schema (RUNO_OPS in ids.h):
 * every field the op needs is there, and no other; an op tests an
 * optional field with RUNO_HAS. */
#define RUNO_HAS(op, field) (((op)->has >> (field)) & 1u)

struct runo_op {
	uint32_t code;
	uint64_t has;
	const char *source, *target, *fstype, *data;
	uint64_t flags, dev, value, value2;
	uint64_t effective, permitted, inheritable, ambient, bounding; /* capability masks */
	uint32_t mode, uid, gid, num, opts, slot;
	uint32_t under; /* UNDER: the slot whose mount SUBPATH is resolved in */
	const char *subpath;
	int32_t fd;
	const char **args; /* NULL-terminated, nargs entries */
	size_t nargs;
	const char **env; /* NULL-terminated, nenv entries */
	size_t nenv;
	const uint8_t *ids; /* nids little-endian u32 values */
	size_t nids;
	const uint8_t *bytes;
	size_t nbytes;
};

struct runo_ns_path {
	uint32_t flag;
	const char *path;
};

struct runo_bootstrap {
	uint32_t clone_flags;
	/* JOIN_PIDFD: the namespaces join_flags of the process join_pidfd
	 * refers to (-1: none). */
	int join_pidfd;
	uint32_t join_flags;
	struct runo_ns_path *ns;
	size_t nns;
	const char *uid_map, *gid_map, *oom_score_adj;
	const char *uidmap_path, *gidmap_path, *timens_offsets;
	int setgroups_deny;
	int log_level;
	struct runo_op *ops;
	size_t nops;
};

/* Decodes buf[0..len). Returns 0, or -EINVAL with the reason in
 * runo_fail_msg(). On failure nothing needs freeing. */
int runo_decode(const uint8_t *buf, size_t len, struct runo_bootstrap *out);
void runo_bootstrap_free(struct runo_bootstrap *b);

/* The i-th IDS value of an op. */
uint32_t runo_op_id(const struct runo_op *op, size_t i);

#endif
