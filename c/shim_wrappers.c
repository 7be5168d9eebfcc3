/*
 * libnsexec.so wrappers for the containerd shim (shim/): mounting the
 * rootfs mounts containerd passes with a task (overlay, bind) and
 * unmounting them (PR_SET_CHILD_SUBREAPER is c/process_wrappers.c's).
 * Each returns 0 or -errno and never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/mount.h>

#include "libnsexec.h"

int runo_mount(const char *source, const char *target, const char *fstype, uint64_t flags,
	       const char *data)
{
	return mount(source, target, fstype, (unsigned long)flags, data) < 0 ? -errno : 0;
}

int runo_umount2(const char *target, int flags)
{
	return umount2(target, flags) < 0 ? -errno : 0;
}
