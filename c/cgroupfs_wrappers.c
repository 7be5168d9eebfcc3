/*
 * Wrappers for cgroupfs directories and bpf(2), called through Deno FFI
 * (c/libnsexec.h): Deno demands --allow-all for any path under /sys, and
 * has no bpf(2). Each returns its result or -errno and never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
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
