/*
 * User namespace maps, written by stage 0 for stage 1 (which cannot map
 * itself: a process may only write its own map with a single line mapping
 * its own euid). With a helper, the setuid newuidmap/newgidmap of shadow
 * does the writing for rootless containers, as runc does.
 */
#define _GNU_SOURCE
#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "procfs.h"

#define MAX_MAP_WORDS 1024

int runo_write_proc(int proc, pid_t pid, const char *name, const char *data)
{
	char path[64];
	int rc;

	if (pid > 0)
		snprintf(path, sizeof(path), "%d/%s", (int)pid, name);
	else
		snprintf(path, sizeof(path), "self/%s", name);
	if ((rc = procfs_write(proc, path, data)) == -EIO)
		return runo_fail_plain(EIO, "write \"/proc/%s\": short write", path);
	return rc < 0 ? runo_fail(-rc, "write \"/proc/%s\"", path) : 0;
}

/* Splits a copy of map into words after argv[0..1]; returns the count. */
static int map_words(char *copy, char **argv, int max)
{
	int n = 2;

	for (char *save = NULL, *w = strtok_r(copy, " \t\n", &save); w != NULL;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (n >= max - 1)
			return -E2BIG;
		argv[n++] = w;
	}
	argv[n] = NULL;
	return n;
}

static int wait_helper(pid_t child, const char *helper)
{
	int status;

	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return runo_fail(errno, "waitpid \"%s\"", helper);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return runo_fail_plain(EPERM, "\"%s\" failed with status 0x%x", helper, status);
}

static int run_helper(pid_t pid, const char *map, const char *helper)
{
	static char *const envp[] = { NULL };
	char pidstr[16], *argv[MAX_MAP_WORDS], *copy = strdup(map);
	pid_t child;
	int rc;

	if (copy == NULL)
		return runo_fail(ENOMEM, "strdup");
	snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
	argv[0] = (char *)helper;
	argv[1] = pidstr;
	if ((rc = map_words(copy, argv, MAX_MAP_WORDS)) < 0) {
		free(copy);
		return runo_fail(-rc, "id map for \"%s\"", helper);
	}
	if ((child = fork()) == 0) {
		execve(helper, argv, envp);
		_exit(127);
	}
	free(copy);
	if (child < 0)
		return runo_fail(errno, "fork \"%s\"", helper);
	return wait_helper(child, helper);
}

int runo_write_idmap(int proc, pid_t pid, const char *name, const char *map, const char *helper)
{
	if (helper != NULL)
		return run_helper(pid, map, helper);
	return runo_write_proc(proc, pid, name, map);
}
