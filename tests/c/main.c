/* make test-c: runs every C test group; the last line is the summary. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

int t_pass, t_fail, t_skip;

const char *t_scratch(const char *name)
{
	static char path[256];
	char cmd[600];

	snprintf(path, sizeof(path), "/tmp/runo-test-c-%d-%s", (int)getpid(), name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", path, path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot make %s\n", path);
	return path;
}

static void t_cleanup(void)
{
	char cmd[100];

	snprintf(cmd, sizeof(cmd), "rm -rf /tmp/runo-test-c-%d-*", (int)getpid());
	if (system(cmd) != 0)
		fprintf(stderr, "cannot clean up %s\n", cmd + 7);
}

int t_root(void)
{
	return geteuid() == 0;
}

struct runo_op t_op(uint32_t code, const char *target)
{
	struct runo_op op;

	memset(&op, 0, sizeof(op));
	op.code = code, op.target = target, op.fd = -1;
	return op;
}

const char *t_join(const char *root, const char *rel)
{
	static char bufs[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s%s", root, rel);
	return bufs[i];
}

void t_in_child(void (*fn)(void))
{
	int p[2], counts[3] = { 0, 1, 0 }, status;
	pid_t pid;

	fflush(NULL);
	if (pipe(p) < 0 || (pid = fork()) < 0) {
		t_fail++;
		return;
	}
	if (pid == 0) {
		close(p[0]);
		t_pass = t_fail = t_skip = 0;
		fn();
		counts[0] = t_pass, counts[1] = t_fail, counts[2] = t_skip;
		if (write(p[1], counts, sizeof(counts)) != sizeof(counts))
			_exit(2);
		fflush(NULL);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], counts, sizeof(counts)) != sizeof(counts))
		counts[0] = 0, counts[1] = 1, counts[2] = 0, fprintf(stderr, "FAIL: test child died\n");
	close(p[0]);
	waitpid(pid, &status, 0);
	t_pass += counts[0];
	t_fail += counts[1];
	t_skip += counts[2];
}

/* The end-to-end driver (tests/c/smoke.py) runs build/runo-init for real;
 * each of its "ok"/"FAIL" lines counts as one check. */
static void test_smoke(void)
{
	char line[512];
	FILE *f;

	if (!t_root() || access("build/runo-init", X_OK) < 0 || access("/usr/bin/python3", X_OK) < 0) {
		SKIP("smoke test needs root, python3 and build/runo-init");
		return;
	}
	fflush(NULL);
	if ((f = popen("timeout 120 python3 tests/c/smoke.py 2>&1", "r")) == NULL) {
		t_fail++;
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "ok ", 3) == 0)
			t_pass++;
		else if (strncmp(line, "FAIL ", 5) == 0)
			t_fail++, fputs(line, stderr);
		else
			fputs(line, stderr);
	}
	CHECK(pclose(f) == 0);
}

int main(void)
{
	test_bootstrap();
	test_sync();
	test_inroot();
	test_read_regular();
	test_ops();
	test_mounts();
	test_spawn();
	test_hooks();
	test_console();
	test_idmap_mount();
	test_procfs();
	test_fdmount();
	test_under();
	test_link();
	test_smoke();
	t_cleanup();
	printf("C: %d passed, %d failed, %d skipped\n", t_pass, t_fail, t_skip);
	return t_fail ? 1 : 0;
}
