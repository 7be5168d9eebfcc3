/*
 * Scheduling operations of the plan: I/O priority, CPU scheduling
 * attributes and the NUMA memory policy of the init, inherited by the
 * container process across execve. The planner (init/scheduler.ts) computes the ioprio value and
 * encodes struct sched_attr; these functions only make the calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "err.h"
#include "executor.h"

#define IOPRIO_WHO_PROCESS 1
/* SCHED_ATTR_SIZE_VER0 .. a generous bound on what the planner sends. */
#define SCHED_ATTR_MIN 48
#define SCHED_ATTR_MAX 128

int runo_op_ioprio_set(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (int)op->num) < 0)
		return runo_fail(errno, "ioprio_set 0x%x", op->num);
	return 0;
}

/* A mask of at most runc's MaxCPU (64 Ki) nodes. */
#define NODEMASK_MAX (64 * 1024 / 8)

/* set_mempolicy(2): the kernel takes maxnode as the mask's bits + 1. */
int runo_op_set_mempolicy(const struct runo_op *op, struct runo_ctx *ctx)
{
	static unsigned long mask[NODEMASK_MAX / sizeof(unsigned long)];
	unsigned long maxnode = 0;

	(void)ctx;
	if (op->nbytes > NODEMASK_MAX || op->nbytes % sizeof(unsigned long) != 0)
		return runo_fail_plain(EINVAL, "set_mempolicy: node mask of %zu bytes", op->nbytes);
	/* Copy: the payload inside the message is only 4-byte aligned. */
	memset(mask, 0, sizeof(mask));
	if (op->nbytes > 0) {
		memcpy(mask, op->bytes, op->nbytes);
		maxnode = op->nbytes * 8 + 1;
	}
	if (syscall(SYS_set_mempolicy, (int)op->num, op->nbytes > 0 ? mask : NULL, maxnode) < 0)
		return runo_fail(errno, "set_mempolicy mode 0x%x", op->num);
	return 0;
}

int runo_op_sched_setattr(const struct runo_op *op, struct runo_ctx *ctx)
{
	uint64_t attr[SCHED_ATTR_MAX / sizeof(uint64_t)];
	uint32_t size;

	(void)ctx;
	if (op->nbytes < SCHED_ATTR_MIN || op->nbytes > SCHED_ATTR_MAX)
		return runo_fail_plain(EINVAL, "sched_setattr: attr of %zu bytes", op->nbytes);
	/* Copy: the payload inside the message is only 4-byte aligned. */
	memset(attr, 0, sizeof(attr));
	memcpy(attr, op->bytes, op->nbytes);
	memcpy(&size, attr, sizeof(size));
	if (size != op->nbytes)
		return runo_fail_plain(EINVAL, "sched_setattr: size field %u != %zu", size, op->nbytes);
	if (syscall(SYS_sched_setattr, 0, attr, 0) < 0)
		return runo_fail(errno, "sched_setattr");
	return 0;
}
