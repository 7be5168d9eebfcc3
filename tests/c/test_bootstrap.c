/* The bootstrap decoder: accepts what the encoder writes, refuses the rest. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../c/bootstrap.h"
#include "../../c/err.h"
#include "../../c/executor.h"
#include "../../c/ids.h"
#include "test.h"

struct mb {
	uint8_t buf[4096];
	size_t len;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v), put16(p + 2, (uint16_t)(v >> 16));
}

static void mb_init(struct mb *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 16;
}

static void mb_attr(struct mb *m, uint16_t type, const void *data, size_t n)
{
	put16(m->buf + m->len, (uint16_t)(4 + n));
	put16(m->buf + m->len + 2, type);
	memcpy(m->buf + m->len + 4, data, n);
	m->len += (4 + n + 3) & ~(size_t)3;
}

static void mb_u32(struct mb *m, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	mb_attr(m, type, b, 4);
}

static void mb_u64(struct mb *m, uint16_t type, uint64_t v)
{
	uint8_t b[8];

	put32(b, (uint32_t)v), put32(b + 4, (uint32_t)(v >> 32));
	mb_attr(m, type, b, 8);
}

static void mb_str(struct mb *m, uint16_t type, const char *s)
{
	mb_attr(m, type, s, strlen(s) + 1);
}

/* Nested attribute: begin returns its offset, end fixes its length. */
static size_t mb_begin(struct mb *m, uint16_t type)
{
	size_t at = m->len;

	put16(m->buf + at + 2, type);
	m->len += 4;
	return at;
}

static void mb_end(struct mb *m, size_t at)
{
	put16(m->buf + at, (uint16_t)(m->len - at));
}

static size_t mb_finish(struct mb *m)
{
	put32(m->buf, (uint32_t)m->len);
	put16(m->buf + 4, RUNO_INIT_MSG);
	return m->len;
}

static void build_good(struct mb *m)
{
	uint8_t ns[32], ids[8], bpf[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	size_t at;

	mb_init(m);
	mb_u32(m, RUNO_ATTR_CLONE_FLAGS, CLONE_NEWNS | CLONE_NEWPID);
	put32(ns, CLONE_NEWNET);
	memcpy(ns + 4, "/proc/1/ns/net", 15);
	mb_attr(m, RUNO_ATTR_NS_PATH, ns, 19);
	mb_str(m, RUNO_ATTR_UID_MAP, "0 1000 1\n");
	mb_attr(m, RUNO_ATTR_SETGROUPS_DENY, "\1", 1);
	mb_u32(m, RUNO_ATTR_LOG_LEVEL, RUNO_LOGLEVEL_DEBUG);
	at = mb_begin(m, RUNO_ATTR_OP);
	mb_u32(m, RUNO_FIELD_CODE, RUNO_OP_MOUNT_IN_ROOT);
	mb_str(m, RUNO_FIELD_SOURCE, "proc");
	mb_str(m, RUNO_FIELD_TARGET, "/proc");
	mb_u64(m, RUNO_FIELD_FLAGS, 0x123456789ull);
	mb_u32(m, RUNO_FIELD_OPTS, RUNO_MOUNTOPT_MKDIR);
	mb_end(m, at);
	at = mb_begin(m, RUNO_ATTR_OP);
	mb_u32(m, RUNO_FIELD_CODE, RUNO_OP_EXEC);
	mb_str(m, RUNO_FIELD_ARG, "sh");
	mb_str(m, RUNO_FIELD_ARG, "-c");
	mb_str(m, RUNO_FIELD_ARG, "true");
	mb_str(m, RUNO_FIELD_ENV, "PATH=/bin");
	mb_end(m, at);
	at = mb_begin(m, RUNO_ATTR_OP);
	mb_u32(m, RUNO_FIELD_CODE, RUNO_OP_SETGROUPS);
	put32(ids, 10), put32(ids + 4, 20);
	mb_attr(m, RUNO_FIELD_IDS, ids, 8);
	mb_end(m, at);
	at = mb_begin(m, RUNO_ATTR_OP);
	mb_u32(m, RUNO_FIELD_CODE, RUNO_OP_SECCOMP);
	mb_u64(m, RUNO_FIELD_FLAGS, 0);
	mb_attr(m, RUNO_FIELD_BYTES, bpf, sizeof(bpf));
	mb_end(m, at);
	at = mb_begin(m, RUNO_ATTR_OP);
	mb_u32(m, RUNO_FIELD_CODE, RUNO_OP_FIFO_WAIT);
	mb_u32(m, RUNO_FIELD_FD, (uint32_t)-5);
	mb_end(m, at);
	at = mb_begin(m, RUNO_ATTR_OP);
	mb_u32(m, RUNO_FIELD_CODE, RUNO_OP_CAPSET);
	mb_u64(m, RUNO_FIELD_EFFECTIVE, 1ull << 40);
	mb_u64(m, RUNO_FIELD_PERMITTED, 3);
	mb_u64(m, RUNO_FIELD_INHERITABLE, 0);
	mb_end(m, at);
	mb_finish(m);
}

static void test_good(void)
{
	struct runo_bootstrap b;
	struct mb m;

	build_good(&m);
	CHECK(runo_decode(m.buf, m.len, &b) == 0);
	CHECK(b.clone_flags == (CLONE_NEWNS | CLONE_NEWPID));
	CHECK(b.nns == 1 && b.ns[0].flag == CLONE_NEWNET && strcmp(b.ns[0].path, "/proc/1/ns/net") == 0);
	CHECK(b.uid_map && strcmp(b.uid_map, "0 1000 1\n") == 0 && b.gid_map == NULL);
	CHECK(b.setgroups_deny == 1 && b.log_level == RUNO_LOGLEVEL_DEBUG);
	CHECK(b.nops == 6);
	if (b.nops != 6)
		return;
	CHECK(b.ops[0].code == RUNO_OP_MOUNT_IN_ROOT && strcmp(b.ops[0].target, "/proc") == 0);
	CHECK(b.ops[0].flags == 0x123456789ull && b.ops[0].opts == RUNO_MOUNTOPT_MKDIR);
	CHECK(RUNO_HAS(&b.ops[0], RUNO_FIELD_OPTS) && !RUNO_HAS(&b.ops[0], RUNO_FIELD_MODE));
	CHECK(b.ops[0].fstype == NULL && b.ops[0].args == NULL && b.ops[0].fd == -1);
	CHECK(b.ops[1].nargs == 3 && strcmp(b.ops[1].args[2], "true") == 0 && b.ops[1].args[3] == NULL);
	CHECK(b.ops[1].nenv == 1 && b.ops[1].env[1] == NULL);
	CHECK(b.ops[2].nids == 2 && runo_op_id(&b.ops[2], 1) == 20);
	CHECK(b.ops[3].nbytes == 16 && b.ops[3].bytes[15] == 16 && b.ops[4].fd == -5);
	CHECK(b.ops[5].effective == 1ull << 40 && b.ops[5].permitted == 3);
	CHECK(RUNO_HAS(&b.ops[5], RUNO_FIELD_INHERITABLE) && b.ops[5].inheritable == 0);
	runo_bootstrap_free(&b);
}

/* Decodes buf expecting a refusal whose message contains want. */
static void refuse(const uint8_t *buf, size_t len, const char *want)
{
	struct runo_bootstrap b;
	int rc = runo_decode(buf, len, &b);

	CHECK(rc == -EINVAL);
	CHECK(strstr(runo_fail_msg(), want) != NULL);
	if (rc == 0)
		runo_bootstrap_free(&b);
	else if (strstr(runo_fail_msg(), want) == NULL)
		fprintf(stderr, "  message: %s (wanted %s)\n", runo_fail_msg(), want);
}

static void test_refusals(void)
{
	struct mb m;
	uint8_t *big;
	size_t at;

	build_good(&m);
	refuse(m.buf, m.len - 1, "nlmsg_len");
	refuse(m.buf, 10, "truncated header");
	put32(m.buf, (uint32_t)m.len + 4);
	refuse(m.buf, m.len, "nlmsg_len");

	big = calloc(1, RUNO_MAX_BOOTSTRAP + 8);
	put32(big, RUNO_MAX_BOOTSTRAP + 8);
	put16(big + 4, RUNO_INIT_MSG);
	refuse(big, RUNO_MAX_BOOTSTRAP + 8, "too large");
	free(big);

	build_good(&m);
	put16(m.buf + 4, RUNO_INIT_MSG + 1);
	refuse(m.buf, m.len, "wrong message type");

	mb_init(&m);
	mb_u32(&m, 27999, 1);
	refuse(m.buf, mb_finish(&m), "unknown attribute");

	mb_init(&m);
	mb_attr(&m, RUNO_ATTR_UID_MAP, "0 0 1", 5);
	refuse(m.buf, mb_finish(&m), "without its NUL");

	mb_init(&m);
	mb_attr(&m, RUNO_ATTR_UID_MAP, "0\0 0 1", 7);
	refuse(m.buf, mb_finish(&m), "NUL inside");

	mb_init(&m);
	mb_u32(&m, RUNO_ATTR_CLONE_FLAGS, 0);
	put16(m.buf + 16, 200); /* the attribute claims more than the message has */
	refuse(m.buf, mb_finish(&m), "overflows");

	mb_init(&m);
	mb_u32(&m, RUNO_ATTR_CLONE_FLAGS, 0);
	mb_u32(&m, RUNO_ATTR_CLONE_FLAGS, 0);
	refuse(m.buf, mb_finish(&m), "duplicate");

	mb_init(&m);
	mb_attr(&m, RUNO_ATTR_CLONE_FLAGS, "\1\2", 2);
	refuse(m.buf, mb_finish(&m), "expected a u32");

	mb_init(&m);
	m.buf[16] = 2; /* a 2-byte tail: not even an attribute header */
	m.len = 18;
	refuse(m.buf, mb_finish(&m), "truncated attribute");

	mb_init(&m);
	at = mb_begin(&m, RUNO_ATTR_OP);
	mb_u32(&m, RUNO_FIELD_CODE, 99);
	mb_end(&m, at);
	refuse(m.buf, mb_finish(&m), "unknown op code");

	mb_init(&m);
	at = mb_begin(&m, RUNO_ATTR_OP);
	mb_u32(&m, RUNO_FIELD_CODE, RUNO_OP_MOUNT);
	mb_u32(&m, 77, 1);
	mb_end(&m, at);
	refuse(m.buf, mb_finish(&m), "unknown or misplaced field");

	mb_init(&m);
	at = mb_begin(&m, RUNO_ATTR_OP);
	mb_str(&m, RUNO_FIELD_TARGET, "/x");
	mb_end(&m, at);
	refuse(m.buf, mb_finish(&m), "without CODE");

	mb_init(&m);
	at = mb_begin(&m, RUNO_ATTR_OP);
	mb_u32(&m, RUNO_FIELD_CODE, RUNO_OP_MOUNT);
	mb_u32(&m, RUNO_FIELD_FLAGS, 1); /* FLAGS is a u64 */
	mb_end(&m, at);
	refuse(m.buf, mb_finish(&m), "expected a u64");

	mb_init(&m);
	at = mb_begin(&m, RUNO_ATTR_OP);
	mb_u32(&m, RUNO_FIELD_CODE, RUNO_OP_MOUNT);
	mb_str(&m, RUNO_FIELD_TARGET, "/averyveryverylongpath");
	mb_end(&m, at);
	put16(m.buf + at, 18); /* the op ends inside its TARGET field */
	refuse(m.buf, mb_finish(&m), "overflows");
}

/* One op of fields built by add(), alone in a message; its decode result. */
static int decode_one(uint32_t code, void (*add)(struct mb *))
{
	struct runo_bootstrap b;
	struct mb m;
	size_t at;
	int rc;

	mb_init(&m);
	at = mb_begin(&m, RUNO_ATTR_OP);
	mb_u32(&m, RUNO_FIELD_CODE, code);
	add(&m);
	mb_end(&m, at);
	rc = runo_decode(m.buf, mb_finish(&m), &b);
	if (rc == 0)
		runo_bootstrap_free(&b);
	return rc;
}

static void no_fields(struct mb *m)
{
	(void)m;
}

static void target_only(struct mb *m)
{
	mb_str(m, RUNO_FIELD_TARGET, "/x");
}

static void target_and_mode(struct mb *m)
{
	mb_str(m, RUNO_FIELD_TARGET, "/x");
	mb_u32(m, RUNO_FIELD_MODE, 0755);
}

static void mount_without_flags(struct mb *m)
{
	mb_str(m, RUNO_FIELD_SOURCE, "proc");
	mb_str(m, RUNO_FIELD_TARGET, "/proc");
}

static void caps_in_value(struct mb *m)
{
	mb_u64(m, RUNO_FIELD_FLAGS, 1);
	mb_u64(m, RUNO_FIELD_VALUE, 1);
	mb_u64(m, RUNO_FIELD_VALUE2, 1);
}

static void exec_with_fd(struct mb *m)
{
	mb_str(m, RUNO_FIELD_ARG, "sh");
	mb_u32(m, RUNO_FIELD_FD, 3);
}

static void remount_slot(struct mb *m)
{
	mb_str(m, RUNO_FIELD_TARGET, "/run");
	mb_u64(m, RUNO_FIELD_FLAGS, 1);
	mb_u32(m, RUNO_FIELD_SLOT, 3);
}

static void slot_only(struct mb *m)
{
	mb_u32(m, RUNO_FIELD_SLOT, 3);
}

static void expect(int rc, const char *want)
{
	CHECK(rc == -EINVAL && strstr(runo_fail_msg(), want) != NULL);
	if (rc != -EINVAL || strstr(runo_fail_msg(), want) == NULL)
		fprintf(stderr, "  rc %d, message: %s (wanted %s)\n", rc, runo_fail_msg(), want);
}

/* Each op's fields as RUNO_OPS (generated from lib/bootstrap/ids.ts) says. */
static void test_schema(void)
{
	expect(decode_one(RUNO_OP_CHDIR, no_fields), "op 18 (CHDIR): missing field 3 (TARGET)");
	expect(decode_one(RUNO_OP_MOUNT, mount_without_flags), "(MOUNT): missing field 6 (FLAGS)");
	expect(decode_one(RUNO_OP_CAPSET, caps_in_value), "(CAPSET): unexpected field 6 (FLAGS)");
	expect(decode_one(RUNO_OP_CHDIR, target_and_mode), "(CHDIR): unexpected field 7 (MODE)");
	expect(decode_one(RUNO_OP_EXEC, exec_with_fd), "(EXEC): unexpected field 11 (FD)");
	expect(decode_one(RUNO_OP_SYNC_READY, target_only), "(SYNC_READY): unexpected field 3");
	expect(decode_one(RUNO_OP_DROP_MOUNT_SLOTS, slot_only), "unexpected field 25 (SLOT)");
	expect(decode_one(RUNO_OP_CHDIR, remount_slot), "(CHDIR): unexpected field 6 (FLAGS)");
	/* Positive controls: the same shapes with what the op takes. */
	CHECK(decode_one(RUNO_OP_CHDIR, target_only) == 0);
	CHECK(decode_one(RUNO_OP_MKDIR_IN_ROOT, target_and_mode) == 0);
	CHECK(decode_one(RUNO_OP_MKDIR_IN_ROOT, target_only) == 0); /* MODE is optional */
	CHECK(decode_one(RUNO_OP_EXEC, no_fields) == 0); /* ARG and ENV may be empty lists */
	CHECK(decode_one(RUNO_OP_SYNC_READY, no_fields) == 0);
	CHECK(decode_one(RUNO_OP_REMOUNT, remount_slot) == 0); /* SLOT is optional */
	CHECK(decode_one(RUNO_OP_DROP_MOUNT_SLOTS, no_fields) == 0);
}

static void mknod_under(struct mb *m)
{
	mb_str(m, RUNO_FIELD_TARGET, "/dev/null");
	mb_u32(m, RUNO_FIELD_MODE, 020666);
	mb_u64(m, RUNO_FIELD_DEV, 0x103);
	mb_u32(m, RUNO_FIELD_UNDER, 7);
	mb_str(m, RUNO_FIELD_SUBPATH, "null");
}

static void mkdir_under(struct mb *m)
{
	mb_str(m, RUNO_FIELD_TARGET, "/dev/x");
	mb_u32(m, RUNO_FIELD_UNDER, 7);
}

static void subpath_u32(struct mb *m)
{
	mb_str(m, RUNO_FIELD_TARGET, "/dev/null");
	mb_u32(m, RUNO_FIELD_MODE, 020666);
	mb_u64(m, RUNO_FIELD_DEV, 0x103);
	mb_u32(m, RUNO_FIELD_SUBPATH, 7);
}

/* UNDER (a u32) and SUBPATH (a string) reach the op; only the ops that
 * resolve in a kept mount take them. */
static void test_under_fields(void)
{
	struct runo_bootstrap b;
	struct mb m;
	size_t at;

	mb_init(&m);
	at = mb_begin(&m, RUNO_ATTR_OP);
	mb_u32(&m, RUNO_FIELD_CODE, RUNO_OP_MKNOD_IN_ROOT);
	mknod_under(&m);
	mb_end(&m, at);
	CHECK(runo_decode(m.buf, mb_finish(&m), &b) == 0 && b.nops == 1);
	if (b.nops == 1) {
		const struct runo_op *op = &b.ops[0];

		CHECK(RUNO_HAS(op, RUNO_FIELD_UNDER) && op->under == 7);
		CHECK(RUNO_HAS(op, RUNO_FIELD_SUBPATH) && strcmp(op->subpath, "null") == 0);
		runo_bootstrap_free(&b);
	}
	expect(decode_one(RUNO_OP_MKDIR_IN_ROOT, mkdir_under), "(MKDIR_IN_ROOT): unexpected field 26 (UNDER)");
	expect(decode_one(RUNO_OP_MKNOD_IN_ROOT, subpath_u32), "NUL inside (attribute 27)");
	CHECK(decode_one(RUNO_OP_SYMLINK_IN_ROOT, mknod_under) != 0); /* no SOURCE */
}

static void mb_join_pidfd(struct mb *m, int32_t fd, uint32_t flags)
{
	uint8_t b[8];

	put32(b, (uint32_t)fd), put32(b + 4, flags);
	mb_attr(m, RUNO_ATTR_JOIN_PIDFD, b, 8);
}

/* JOIN_PIDFD: an fd and a set of namespaces; -1 when absent. */
static void test_join_pidfd(void)
{
	struct runo_bootstrap b;
	struct mb m;

	build_good(&m);
	CHECK(runo_decode(m.buf, m.len, &b) == 0 && b.join_pidfd == -1);
	runo_bootstrap_free(&b);

	mb_init(&m);
	mb_join_pidfd(&m, 7, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID);
	CHECK(runo_decode(m.buf, mb_finish(&m), &b) == 0);
	CHECK(b.join_pidfd == 7 && b.join_flags == (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID));
	runo_bootstrap_free(&b);

	mb_init(&m);
	mb_join_pidfd(&m, -1, CLONE_NEWNS);
	refuse(m.buf, mb_finish(&m), "fd is negative");
	mb_init(&m);
	mb_join_pidfd(&m, 3, 0);
	refuse(m.buf, mb_finish(&m), "not namespaces");
	mb_init(&m);
	mb_join_pidfd(&m, 3, CLONE_NEWNS | CLONE_VM);
	refuse(m.buf, mb_finish(&m), "not namespaces");
	mb_init(&m);
	mb_u32(&m, RUNO_ATTR_JOIN_PIDFD, 3);
	refuse(m.buf, mb_finish(&m), "not an i32 and a u32");
	mb_init(&m);
	mb_join_pidfd(&m, 3, CLONE_NEWNS);
	mb_join_pidfd(&m, 4, CLONE_NEWNS);
	refuse(m.buf, mb_finish(&m), "duplicate");
}

/* Every op the schema lists has its function in the executor. */
static void test_schema_executor(void)
{
#define KNOWN(name, need, may) CHECK(runo_op_known(RUNO_OP_##name));
	RUNO_OPS(KNOWN)
#undef KNOWN
}

void test_bootstrap(void)
{
	test_good();
	test_refusals();
	test_join_pidfd();
	test_schema();
	test_under_fields();
	test_schema_executor();
}
