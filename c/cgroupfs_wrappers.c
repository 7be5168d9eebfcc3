/*
 * Wrappers for cgroupfs directories and bpf(2) (the v2 device filter),
 * called through Deno FFI (c/libnsexec.h): Deno demands --allow-all for any
 * path under /sys, and has no bpf. Each returns its result or -errno and
 * never prints.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libnsexec.h"

int runo_mkdir(const char *path, int mode)
{
	return mkdir(path, (mode_t)mode) < 0 ? -errno : 0;
}

int runo_rmdir(const char *path)
{
	return rmdir(path) < 0 ? -errno : 0;
}

/* bpf(cmd, attr, size): the attr union is built in TypeScript. */
int64_t runo_bpf(int cmd, uint8_t *attr, uint32_t size)
{
	long r = syscall(SYS_bpf, cmd, attr, size);

	return r < 0 ? -(int64_t)errno : (int64_t)r;
}

/* The names of the subdirectories of path (child cgroups), each followed
 * by a NUL, in buf; returns the bytes used, -ENOSPC when len is too small. */
int64_t runo_list_subdirs(const char *path, uint8_t *buf, uint64_t len)
{
	DIR *d = opendir(path);
	struct dirent *e;
	uint64_t used = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name) + 1;

		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (used + n > len) {
			closedir(d);
			return -ENOSPC;
		}
		memcpy(buf + used, e->d_name, n);
		used += n;
	}
	closedir(d);
	return (int64_t)used;
}
