/* RUN_HOOK (c/hooks.c): the state reaches the hook's stdin, argv and env
 * are exactly the op's, a failure is described with the hook's output, and
 * a hook past its timeout is killed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../c/err.h"
#include "../../c/executor.h"
#include "../../c/ids.h"
#include "test.h"

static const char STATE[] = "{\"ociVersion\":\"1.2.0\",\"id\":\"c\",\"status\":\"creating\",\"pid\":7}";

static int state_fd(const char *dir)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/state.json", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, STATE, strlen(STATE)) != (ssize_t)strlen(STATE)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int run_hook(const char **argv, size_t nargs, const char **env, uint64_t timeout_ms, int fd)
{
	struct runo_ctx ctx;
	struct runo_op op;

	runo_ctx_init(&ctx);
	memset(&op, 0, sizeof(op));
	op.code = RUNO_OP_RUN_HOOK;
	op.source = "/bin/sh";
	op.args = argv;
	op.nargs = nargs;
	op.env = env;
	op.value = timeout_ms;
	op.fd = fd;
	op.data = "createContainer";
	return runo_run_op(&op, &ctx);
}

static void read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

void test_hooks(void)
{
	const char *dir = t_scratch("hooks");
	char script[512], got[512];
	const char *env[] = { "ONLY=this", NULL };
	int fd = state_fd(dir);

	CHECK(fd >= 0);
	/* stdin is the state (twice: the file is read from offset 0 each time);
	 * the environment is exactly env; argv[0] is args[0]. */
	snprintf(script, sizeof(script),
		 "cat > %s/in; cat /proc/self/environ > %s/env; echo \"$0\" > %s/argv0", dir, dir,
		 dir);
	for (int round = 0; round < 2; round++) {
		const char *argv[] = { "my-hook", "-c", script, NULL };

		CHECK(run_hook(argv, 3, env, 5000, fd) == 0);
		snprintf(got, sizeof(got), "%s/in", dir);
		read_file(got, got, sizeof(got));
		CHECK(strcmp(got, STATE) == 0);
	}
	snprintf(got, sizeof(got), "%s/argv0", dir);
	read_file(got, got, sizeof(got));
	CHECK(strcmp(got, "my-hook\n") == 0);
	snprintf(got, sizeof(got), "%s/env", dir);
	read_file(got, got, sizeof(got));
	CHECK(strcmp(got, "ONLY=this") == 0); /* one NUL-terminated entry: strcmp stops there */

	{
		const char *argv[] = { "sh", "-c", "echo no way; exit 3", NULL };

		CHECK(run_hook(argv, 3, env, 0, fd) == -ECANCELED);
		CHECK(strstr(runo_fail_msg(), "createContainer hook \"/bin/sh\": exit status 3") != NULL);
		CHECK(strstr(runo_fail_msg(), "output: \"no way\"") != NULL);
	}
	{
		/* As runc's seccomp.bats: a hook killed by SIGSYS is named so. */
		const char *argv[] = { "sh", "-c", "kill -SYS $$", NULL };

		CHECK(run_hook(argv, 3, env, 0, fd) == -ECANCELED);
		CHECK(strstr(runo_fail_msg(), "hook \"/bin/sh\": killed by SIGSYS (signal 31)") != NULL);
	}
	{
		const char *argv[] = { "sh", "-c", "exec sleep 10", NULL };
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		CHECK(run_hook(argv, 3, env, 200, fd) == -ETIMEDOUT);
		clock_gettime(CLOCK_MONOTONIC, &b);
		CHECK(b.tv_sec - a.tv_sec < 3);
		CHECK(strstr(runo_fail_msg(), "killed after its timeout") != NULL);
	}
	close(fd);
}
