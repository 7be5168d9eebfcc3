/*
 * runo's launcher (build/runo, and $PREFIX/bin/runo from make install):
 * execs Deno on the bundled CLI with the permissions, flags and environment
 * fixed when it was built. They come from launcher_config.h, which
 * packaging/launcher_config.sh writes for the checkout (Makefile) and for
 * an install (packaging/install.sh). A /bin/sh script did the same for
 * ~0.8 ms more per command, and engines run several commands per
 * container. It decides nothing: the CLI does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* LAUNCH_DENO, LAUNCH_ARGS (what comes before the caller's arguments),
 * LAUNCH_ENV: { name, value, how } with how one of the three below. */
enum { SET_UNLESS_SET, SET, UNSET };
struct launch_env {
	const char *name, *value;
	int how;
};
#include "launcher_config.h"

int main(int argc, char **argv)
{
	static const char *const fixed[] = { LAUNCH_DENO, LAUNCH_ARGS };
	static const struct launch_env env[] = { LAUNCH_ENV };
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	char **args = calloc(nfixed + (size_t)argc, sizeof(char *));

	if (args == NULL) {
		perror("runo: launcher");
		return 127;
	}
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		if (env[i].how == UNSET)
			unsetenv(env[i].name);
		else
			setenv(env[i].name, env[i].value, env[i].how == SET);
	}
	memcpy(args, fixed, nfixed * sizeof(char *));
	memcpy(args + nfixed, argv + 1, (size_t)(argc - 1) * sizeof(char *));
	execv(LAUNCH_DENO, args);
	fprintf(stderr, "runo: cannot run %s: %s\n", LAUNCH_DENO, strerror(errno));
	return 127;
}
