/*
 * libFuzzer harness for the bootstrap decoder (c/bootstrap.c), the C code
 * that reads the first bytes stage 0 receives. Built with ASan and UBSan
 * (`make fuzz`): any out-of-bounds read, leak, overflow or undefined
 * behaviour is a crash. The input is copied into a buffer of its exact
 * size so ASan sees a read one byte past the end.
 *
 * The header's length and type are patched to match the input, so the
 * fuzzer spends its time in the attributes (the header check itself is
 * four comparisons, covered by tests/c/test_bootstrap.c). After a
 * successful decode every string, array and id is walked, so a pointer
 * the decoder got wrong is dereferenced here, and every op is checked
 * against its schema (RUNO_OPS): all the fields it needs, no other.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../c/bootstrap.h"
#include "../../c/ids.h"

static size_t walk_strv(const char **v, size_t n)
{
	size_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += strlen(v[i]);
	if (n > 0 && v[n] != NULL)
		abort(); /* arrays must be NULL-terminated */
	return sum;
}

/* Aborts unless op has every field its schema needs and no other. */
static void check_schema(const struct runo_op *op)
{
	uint64_t need = 0, may = 0;

#define MATCH(name, n, m)                                \
	if (op->code == RUNO_OP_##name)                   \
		need = (n) | RUNO_F(CODE), may = need | (m);
	RUNO_OPS(MATCH)
#undef MATCH
	if (need == 0 || (op->has & need) != need || (op->has & ~may) != 0)
		abort();
	if ((RUNO_HAS(op, RUNO_FIELD_TARGET) && op->target == NULL) ||
	    (RUNO_HAS(op, RUNO_FIELD_SOURCE) && op->source == NULL) ||
	    (RUNO_HAS(op, RUNO_FIELD_DATA) && op->data == NULL))
		abort();
}

static size_t walk(const struct runo_bootstrap *b)
{
	size_t sum = 0;
	const char *strs[] = { b->uid_map, b->gid_map, b->oom_score_adj,
			       b->uidmap_path, b->gidmap_path, b->timens_offsets };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (strs[i])
			sum += strlen(strs[i]);
	for (size_t i = 0; i < b->nns; i++)
		sum += strlen(b->ns[i].path);
	for (size_t i = 0; i < b->nops; i++) {
		const struct runo_op *op = &b->ops[i];
		check_schema(op);
		const char *f[] = { op->source, op->target, op->fstype, op->data };
		for (size_t k = 0; k < 4; k++)
			if (f[k])
				sum += strlen(f[k]);
		sum += walk_strv(op->args, op->nargs) + walk_strv(op->env, op->nenv);
		for (size_t k = 0; k < op->nids; k++)
			sum += runo_op_id(op, k);
		for (size_t k = 0; k < op->nbytes; k++)
			sum += op->bytes[k];
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct runo_bootstrap b;
	volatile size_t sink;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (size >= 16) {
		uint32_t len = (uint32_t)size;
		uint16_t type = RUNO_INIT_MSG;
		memcpy(buf, &len, 4); /* little-endian host, as the decoder reads */
		memcpy(buf + 4, &type, 2);
	}
	if (runo_decode(buf, size, &b) == 0) {
		sink = walk(&b);
		(void)sink;
		runo_bootstrap_free(&b);
	}
	free(buf);
	return 0;
}
