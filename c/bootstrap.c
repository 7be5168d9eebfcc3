/*
 * Decoder of the bootstrap message (netlink style, see lib/bootstrap/ids.ts).
 * Strict by design: a message the parent did not mean to send is refused
 * with a reason, never half-applied. Rejected: truncated or oversized input,
 * a wrong nlmsg type, unknown attributes or fields, wrong payload sizes,
 * strings without their NUL (or with one inside), duplicated singletons,
 * and an op missing a field it needs or carrying one it does not take
 * (the schema of every op, RUNO_OPS, is generated from lib/bootstrap/ids.ts).
 */
#define _GNU_SOURCE
#include "bootstrap.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "executor.h"
#include "ids.h"

#define NLMSG_HDRLEN_ 16u
#define NLA_HDRLEN_ 4u
#define ALIGN4(n) (((n) + 3u) & ~(size_t)3u)

struct attr {
	uint16_t type;
	const uint8_t *data;
	size_t len;
};

struct cursor {
	const uint8_t *p;
	size_t left;
};

struct op_schema {
	uint32_t code;
	const char *name;
	uint64_t need, may; /* RUNO_F() masks; may includes need */
};

#define SCHEMA_ENTRY(name, need, may) { RUNO_OP_##name, #name, (need), (need) | (may) },
static const struct op_schema schema[] = { RUNO_OPS(SCHEMA_ENTRY) };
#undef SCHEMA_ENTRY

#define FIELD_NAME(name) [RUNO_FIELD_##name] = #name,
static const char *const field_names[RUNO_FIELD_MAX + 1] = { RUNO_FIELDS(FIELD_NAME) };
#undef FIELD_NAME

static const struct op_schema *schema_of(uint32_t code)
{
	for (size_t i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if (schema[i].code == code)
			return &schema[i];
	return NULL;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t runo_op_id(const struct runo_op *op, size_t i)
{
	return le32(op->ids + 4 * i);
}

static int bad(const char *what, unsigned type)
{
	return runo_fail_plain(EINVAL, "bootstrap: %s (attribute %u)", what, type);
}

/* 1 and the next attribute in *a; 0 at the end; -EINVAL if malformed. */
static int next_attr(struct cursor *c, struct attr *a)
{
	size_t len;

	if (c->left == 0)
		return 0;
	if (c->left < NLA_HDRLEN_)
		return runo_fail_plain(EINVAL, "bootstrap: truncated attribute header");
	len = le16(c->p);
	a->type = le16(c->p + 2);
	if (len < NLA_HDRLEN_ || len > c->left)
		return bad("attribute length overflows the message", a->type);
	a->data = c->p + NLA_HDRLEN_;
	a->len = len - NLA_HDRLEN_;
	/* The padding of the very last attribute may be left out. */
	len = ALIGN4(len) < c->left ? ALIGN4(len) : c->left;
	c->p += len;
	c->left -= len;
	return 1;
}

static int get_u32(const struct attr *a, uint32_t *out)
{
	if (a->len != 4)
		return bad("expected a u32", a->type);
	*out = le32(a->data);
	return 0;
}

static int get_u64(const struct attr *a, uint64_t *out)
{
	if (a->len != 8)
		return bad("expected a u64", a->type);
	*out = le64(a->data);
	return 0;
}

static int check_string(const uint8_t *s, size_t len, unsigned type)
{
	if (len == 0 || s[len - 1] != '\0')
		return bad("string without its NUL", type);
	if (strlen((const char *)s) != len - 1)
		return bad("string with a NUL inside", type);
	return 0;
}

static int get_str(const struct attr *a, const char **out)
{
	int rc = check_string(a->data, a->len, a->type);

	if (rc == 0)
		*out = (const char *)a->data;
	return rc;
}

/* Appends one element of size sz to a growable array. */
static int push(void **arr, size_t *n, size_t sz, const void *elem)
{
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? *n * 2 : 4;
		void *p = realloc(*arr, cap * sz);

		if (p == NULL)
			return runo_fail(ENOMEM, "bootstrap: realloc");
		*arr = p;
	}
	memcpy((char *)*arr + *n * sz, elem, sz);
	(*n)++;
	return 0;
}

static int push_str(const struct attr *a, const char ***arr, size_t *n)
{
	const char *s, *end = NULL;
	size_t count = *n;
	int rc = get_str(a, &s);

	if (rc < 0)
		return rc;
	/* Keep the array NULL-terminated; the next string overwrites the NULL. */
	if ((rc = push((void **)arr, &count, sizeof(char *), &s)) < 0)
		return rc;
	if ((rc = push((void **)arr, &count, sizeof(char *), &end)) < 0)
		return rc;
	*n = count - 1;
	return 0;
}

static int field_str(struct runo_op *op, const struct attr *a)
{
	switch (a->type) {
	case RUNO_FIELD_SOURCE:
		return get_str(a, &op->source);
	case RUNO_FIELD_TARGET:
		return get_str(a, &op->target);
	case RUNO_FIELD_FSTYPE:
		return get_str(a, &op->fstype);
	case RUNO_FIELD_DATA:
		return get_str(a, &op->data);
	case RUNO_FIELD_SUBPATH:
		return get_str(a, &op->subpath);
	case RUNO_FIELD_ARG:
		return push_str(a, &op->args, &op->nargs);
	case RUNO_FIELD_ENV:
		return push_str(a, &op->env, &op->nenv);
	}
	return 1;
}

static int field_num(struct runo_op *op, const struct attr *a)
{
	switch (a->type) {
	case RUNO_FIELD_FLAGS:
		return get_u64(a, &op->flags);
	case RUNO_FIELD_DEV:
		return get_u64(a, &op->dev);
	case RUNO_FIELD_VALUE:
		return get_u64(a, &op->value);
	case RUNO_FIELD_VALUE2:
		return get_u64(a, &op->value2);
	case RUNO_FIELD_MODE:
		return get_u32(a, &op->mode);
	case RUNO_FIELD_UID:
		return get_u32(a, &op->uid);
	case RUNO_FIELD_GID:
		return get_u32(a, &op->gid);
	case RUNO_FIELD_NUM:
		return get_u32(a, &op->num);
	case RUNO_FIELD_OPTS:
		return get_u32(a, &op->opts);
	case RUNO_FIELD_SLOT:
		return get_u32(a, &op->slot);
	case RUNO_FIELD_UNDER:
		return get_u32(a, &op->under);
	case RUNO_FIELD_FD:
		return get_u32(a, (uint32_t *)&op->fd);
	case RUNO_FIELD_EFFECTIVE:
		return get_u64(a, &op->effective);
	case RUNO_FIELD_PERMITTED:
		return get_u64(a, &op->permitted);
	case RUNO_FIELD_INHERITABLE:
		return get_u64(a, &op->inheritable);
	case RUNO_FIELD_AMBIENT:
		return get_u64(a, &op->ambient);
	case RUNO_FIELD_BOUNDING:
		return get_u64(a, &op->bounding);
	}
	return 1;
}

static int field_raw(struct runo_op *op, const struct attr *a)
{
	switch (a->type) {
	case RUNO_FIELD_IDS:
		if (a->len % 4 != 0)
			return bad("IDS is not a u32 array", a->type);
		op->ids = a->data, op->nids = a->len / 4;
		return 0;
	case RUNO_FIELD_BYTES:
		op->bytes = a->data, op->nbytes = a->len;
		return 0;
	}
	return 1;
}

static int decode_field(struct runo_op *op, const struct op_schema *s, const struct attr *a)
{
	int rc;
	int repeatable = a->type == RUNO_FIELD_ARG || a->type == RUNO_FIELD_ENV;

	if (a->type == RUNO_FIELD_CODE || a->type > RUNO_FIELD_MAX)
		return runo_fail_plain(EINVAL, "bootstrap: op %u: unknown or misplaced field %u",
				       op->code, a->type);
	if (!(s->may & (1ull << a->type)))
		return runo_fail_plain(EINVAL, "bootstrap: op %u (%s): unexpected field %u (%s)",
				       op->code, s->name, a->type, field_names[a->type]);
	if (!repeatable && RUNO_HAS(op, a->type))
		return runo_fail_plain(EINVAL, "bootstrap: op %u: duplicate field %u", op->code, a->type);
	op->has |= 1ull << a->type;
	if ((rc = field_str(op, a)) <= 0)
		return rc;
	if ((rc = field_num(op, a)) <= 0)
		return rc;
	return field_raw(op, a);
}

/* -EINVAL naming the first field the op needs but does not have, or 0. */
static int check_needed(const struct runo_op *op, const struct op_schema *s)
{
	uint64_t missing = s->need & ~op->has;

	for (unsigned f = 0; f <= RUNO_FIELD_MAX; f++)
		if (missing & (1ull << f))
			return runo_fail_plain(EINVAL, "bootstrap: op %u (%s): missing field %u (%s)",
					       op->code, s->name, f, field_names[f]);
	return 0;
}

static int decode_op(const struct attr *outer, struct runo_op *op)
{
	struct cursor c = { outer->data, outer->len };
	const struct op_schema *s;
	struct attr a;
	int rc;

	memset(op, 0, sizeof(*op));
	op->fd = -1;
	if ((rc = next_attr(&c, &a)) <= 0 || a.type != RUNO_FIELD_CODE)
		return rc < 0 ? rc : runo_fail_plain(EINVAL, "bootstrap: op without CODE first");
	if ((rc = get_u32(&a, &op->code)) < 0)
		return rc;
	if ((s = schema_of(op->code)) == NULL)
		return runo_fail_plain(EINVAL, "bootstrap: unknown op code %u", op->code);
	if (!runo_op_known(op->code))
		return runo_fail_plain(EINVAL, "bootstrap: op %u (%s) has no executor", op->code, s->name);
	op->has = 1ull << RUNO_FIELD_CODE;
	while ((rc = next_attr(&c, &a)) > 0)
		if ((rc = decode_field(op, s, &a)) < 0)
			return rc;
	return rc < 0 ? rc : check_needed(op, s);
}

static void free_op(struct runo_op *op)
{
	free(op->args);
	free(op->env);
}

static int add_op(struct runo_bootstrap *b, const struct attr *a)
{
	struct runo_op op;
	int rc = decode_op(a, &op);

	if (rc == 0 && (rc = push((void **)&b->ops, &b->nops, sizeof(op), &op)) == 0)
		return 0;
	free_op(&op);
	return rc;
}

static const uint32_t known_ns = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
				 CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME;

static int add_ns_path(struct runo_bootstrap *b, const struct attr *a)
{
	struct runo_ns_path ns;
	int rc;

	if (a->len < 5)
		return bad("NS_PATH too short", a->type);
	ns.flag = le32(a->data);
	if ((ns.flag & known_ns) == 0 || (ns.flag & (ns.flag - 1)) != 0 || (ns.flag & ~known_ns) != 0)
		return bad("NS_PATH flag is not one namespace", a->type);
	if ((rc = check_string(a->data + 4, a->len - 4, a->type)) < 0)
		return rc;
	ns.path = (const char *)a->data + 4;
	return push((void **)&b->ns, &b->nns, sizeof(ns), &ns);
}

/* i32 fd + u32 flags: at least one namespace, only namespaces. */
static int get_join_pidfd(struct runo_bootstrap *b, const struct attr *a)
{
	int32_t fd;
	uint32_t flags;

	if (a->len != 8)
		return bad("JOIN_PIDFD is not an i32 and a u32", a->type);
	fd = (int32_t)le32(a->data);
	flags = le32(a->data + 4);
	if (fd < 0)
		return bad("JOIN_PIDFD fd is negative", a->type);
	if (flags == 0 || (flags & ~known_ns) != 0)
		return bad("JOIN_PIDFD flags are not namespaces", a->type);
	b->join_pidfd = fd;
	b->join_flags = flags;
	return 0;
}

static int decode_scalar(struct runo_bootstrap *b, const struct attr *a)
{
	uint32_t v;
	int rc;

	switch (a->type) {
	case RUNO_ATTR_CLONE_FLAGS:
		return get_u32(a, &b->clone_flags);
	case RUNO_ATTR_UID_MAP:
		return get_str(a, &b->uid_map);
	case RUNO_ATTR_GID_MAP:
		return get_str(a, &b->gid_map);
	case RUNO_ATTR_OOM_SCORE_ADJ:
		return get_str(a, &b->oom_score_adj);
	case RUNO_ATTR_UIDMAP_PATH:
		return get_str(a, &b->uidmap_path);
	case RUNO_ATTR_GIDMAP_PATH:
		return get_str(a, &b->gidmap_path);
	case RUNO_ATTR_TIMENS_OFFSETS:
		return get_str(a, &b->timens_offsets);
	case RUNO_ATTR_JOIN_PIDFD:
		return get_join_pidfd(b, a);
	case RUNO_ATTR_SETGROUPS_DENY:
		if (a->len != 1)
			return bad("expected a u8", a->type);
		b->setgroups_deny = a->data[0] != 0;
		return 0;
	case RUNO_ATTR_LOG_LEVEL:
		if ((rc = get_u32(a, &v)) < 0)
			return rc;
		b->log_level = v > RUNO_LOGLEVEL_DEBUG ? RUNO_LOGLEVEL_DEBUG : (int)v;
		return 0;
	}
	return bad("unknown attribute", a->type);
}

static int decode_attr(struct runo_bootstrap *b, const struct attr *a, uint32_t *seen)
{
	unsigned bit;

	if (a->type == RUNO_ATTR_OP)
		return add_op(b, a);
	if (a->type == RUNO_ATTR_NS_PATH)
		return add_ns_path(b, a);
	if (a->type < RUNO_ATTR_CLONE_FLAGS || a->type > RUNO_ATTR_JOIN_PIDFD)
		return bad("unknown attribute", a->type);
	bit = a->type - RUNO_ATTR_CLONE_FLAGS;
	if (*seen & (1u << bit))
		return bad("duplicate attribute", a->type);
	*seen |= 1u << bit;
	return decode_scalar(b, a);
}

static int check_header(const uint8_t *buf, size_t len)
{
	if (len > RUNO_MAX_BOOTSTRAP)
		return runo_fail_plain(EINVAL, "bootstrap: message of %zu bytes is too large", len);
	if (len < NLMSG_HDRLEN_)
		return runo_fail_plain(EINVAL, "bootstrap: truncated header (%zu bytes)", len);
	if (le32(buf) != len)
		return runo_fail_plain(EINVAL, "bootstrap: nlmsg_len %u but %zu bytes received",
				       le32(buf), len);
	if (le16(buf + 4) != RUNO_INIT_MSG)
		return runo_fail_plain(EINVAL, "bootstrap: wrong message type %u", le16(buf + 4));
	return 0;
}

void runo_bootstrap_free(struct runo_bootstrap *b)
{
	for (size_t i = 0; i < b->nops; i++)
		free_op(&b->ops[i]);
	free(b->ops);
	free(b->ns);
	memset(b, 0, sizeof(*b));
	b->join_pidfd = -1;
}

int runo_decode(const uint8_t *buf, size_t len, struct runo_bootstrap *out)
{
	struct cursor c;
	struct attr a;
	uint32_t seen = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->join_pidfd = -1;
	if ((rc = check_header(buf, len)) < 0)
		return rc;
	c.p = buf + NLMSG_HDRLEN_;
	c.left = len - NLMSG_HDRLEN_;
	while ((rc = next_attr(&c, &a)) > 0)
		if ((rc = decode_attr(out, &a, &seen)) < 0)
			break;
	if (rc < 0)
		runo_bootstrap_free(out);
	return rc;
}
