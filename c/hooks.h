/*
 * OCI hooks run by the init inside the container (c/hooks.c).
 */
#ifndef RUNO_HOOKS_H
#define RUNO_HOOKS_H

#include <stdint.h>
#include <sys/types.h>

#include "bootstrap.h"

struct runo_ctx;

/* What a failed startContainer hook leaves at the start of the state file
 * (lib/hooks/lifecycle.ts reads it). */
#define RUNO_HOOK_ERROR_PREFIX "runo-hook-error: "

/* RUN_HOOK: fork+exec one hook with the state on stdin, wait with timeout. */
int runo_op_run_hook(const struct runo_op *op, struct runo_ctx *ctx);

/* Waits for pid, SIGKILLing it after timeout_ms (0: no timeout). Returns
 * the wait status, -ETIMEDOUT when it was killed, or -errno. */
int runo_hook_wait(pid_t pid, uint64_t timeout_ms);

#endif
