/* The console operation (c/console.c). */
#ifndef RUNO_CONSOLE_H
#define RUNO_CONSOLE_H

#include "executor.h"

int runo_op_console(const struct runo_op *op, struct runo_ctx *ctx);
int runo_op_chown_stdio(const struct runo_op *op, struct runo_ctx *ctx);

#endif
