/*
 * Host-side mount calls for runo itself (not the init): the unique id of the
 * mount a path is on, a lazy unmount that follows no symlink, and detached
 * copies of bind sources for an init in a user namespace. A
 * container without a mount namespace has its rootfs bind made in the
 * host's mount table; runo records that mount's id and removes exactly it
 * on delete (lib/container/host_rootfs.ts). And mount(2)/umount2(2) as
 * such, for the containerd shim's rootfs mounts (shim/mounts.ts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libnsexec.h"

#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U /* Linux 6.8: never reused */
#endif

int runo_mount_id(const char *path, uint64_t *out)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID_UNIQUE | STATX_MNT_ID, &stx) < 0)
		return -errno;
	if (!(stx.stx_mask & (STATX_MNT_ID_UNIQUE | STATX_MNT_ID)))
		return -ENOSYS;
	*out = stx.stx_mnt_id;
	return 0;
}

int runo_bind_tree(const char *src, int recursive)
{
	unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
	int fd = open_tree(AT_FDCWD, src, flags);

	return fd < 0 ? -errno : fd;
}

int runo_umount_detach(const char *path)
{
	return umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 ? -errno : 0;
}

int runo_mount(const char *source, const char *target, const char *fstype, uint64_t flags,
	       const char *data)
{
	return mount(source, target, fstype, (unsigned long)flags, data) < 0 ? -errno : 0;
}

int runo_umount2(const char *target, int flags)
{
	return umount2(target, flags) < 0 ? -errno : 0;
}
