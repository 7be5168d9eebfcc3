/* A tiny test harness for the C side: CHECK and SKIP count, main prints the totals. */
#ifndef RUNO_TEST_H
#define RUNO_TEST_H

#include <stdint.h>
#include <stdio.h>

#include "../../c/bootstrap.h"

extern int t_pass, t_fail, t_skip;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (cond)                                                            \
			t_pass++;                                                    \
		else {                                                               \
			t_fail++;                                                    \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                    \
	} while (0)

/* A test group that cannot run here: counted, and its reason printed. */
#define SKIP(...)                                       \
	do {                                            \
		t_skip++;                               \
		fprintf(stderr, "skip: " __VA_ARGS__); \
		fputc('\n', stderr);                    \
	} while (0)

/* Scratch directory under /tmp, created fresh; returns its path. */
const char *t_scratch(const char *name);
/* 1 when running as root (mount tests need it). */
int t_root(void);
/* Runs fn in a forked child, adding the child's counts to ours. */
void t_in_child(void (*fn)(void));
/* An operation with only its code and target set (fd -1). */
struct runo_op t_op(uint32_t code, const char *target);
/* root + rel, in one of 4 rotating buffers (so a call may take several). */
const char *t_join(const char *root, const char *rel);

void test_bootstrap(void);
void test_inroot(void);
void test_read_regular(void);
void test_ops(void);
void test_mounts(void);
void test_spawn(void);
void test_sync(void);
void test_hooks(void);
void test_console(void);
void test_idmap_mount(void);
void test_procfs(void);
void test_fdmount(void);
void test_under(void);
void test_link(void);

#endif
