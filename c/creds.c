/*
 * Credential and capability operations of the plan. The planner orders
 * them as runc's finalizeNamespace does (keepcaps, setgroups, setgid,
 * setuid, capset, ambient); seccomp is in c/seccomp.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "err.h"
#include "executor.h"
#include "ids.h"

#define MAX_GROUPS 65536

int runo_op_setgroups(const struct runo_op *op, struct runo_ctx *ctx)
{
	gid_t *groups = NULL;
	int rc = 0;

	(void)ctx;
	if (op->nids > MAX_GROUPS)
		return runo_fail_plain(EINVAL, "setgroups: %zu groups", op->nids);
	if (op->nids > 0 && (groups = calloc(op->nids, sizeof(gid_t))) == NULL)
		return runo_fail(ENOMEM, "setgroups");
	for (size_t i = 0; i < op->nids; i++)
		groups[i] = runo_op_id(op, i);
	if (setgroups(op->nids, groups) < 0)
		rc = runo_fail(errno, "setgroups");
	free(groups);
	return rc;
}

int runo_op_setgid(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (setresgid(op->gid, op->gid, op->gid) < 0)
		return runo_fail(errno, "setresgid %u", op->gid);
	return 0;
}

int runo_op_setuid(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (setresuid(op->uid, op->uid, op->uid) < 0)
		return runo_fail(errno, "setresuid %u", op->uid);
	return 0;
}

int runo_op_keepcaps(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (prctl(PR_SET_KEEPCAPS, (unsigned long)op->num, 0, 0, 0) < 0)
		return runo_fail(errno, "prctl PR_SET_KEEPCAPS %u", op->num);
	return 0;
}

/* NUM is the host's cap_last_cap, read by runo in the host's namespaces:
 * nothing in the container's /proc decides which capabilities go. */
int runo_op_cap_bounding(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (op->num > 63)
		return runo_fail_plain(EINVAL, "CAP_BOUNDING: last capability %u out of range", op->num);
	for (unsigned long cap = 0; cap <= op->num; cap++) {
		if (op->bounding & (1ull << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return runo_fail(errno, "prctl PR_CAPBSET_DROP %lu", cap);
	}
	return 0;
}

int runo_op_capset(const struct runo_op *op, struct runo_ctx *ctx)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	(void)ctx;
	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(op->effective >> (32 * i));
		data[i].permitted = (uint32_t)(op->permitted >> (32 * i));
		data[i].inheritable = (uint32_t)(op->inheritable >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return runo_fail(errno, "capset");
	return 0;
}

int runo_op_cap_ambient(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return runo_fail(errno, "prctl PR_CAP_AMBIENT_CLEAR_ALL");
	for (unsigned long cap = 0; cap < 64; cap++) {
		if (!(op->ambient & (1ull << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return runo_fail(errno, "prctl PR_CAP_AMBIENT_RAISE %lu", cap);
	}
	return 0;
}

int runo_op_no_new_privs(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)op, (void)ctx;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return runo_fail(errno, "prctl PR_SET_NO_NEW_PRIVS");
	return 0;
}
