/*
 * Verified procfs handles (c/procfs.h). The lookups follow pathrs-lite's
 * procfs resolver, which runc uses since CVE-2025-52881: openat2 with
 * RESOLVE_BENEATH|RESOLVE_NO_XDEV|RESOLVE_NO_MAGICLINKS from a handle that
 * is the root of a procfs, so no overmount and no magic link can send a
 * lookup elsewhere; fds are reopened from a verified "self/fd" directory.
 */
#define _GNU_SOURCE
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#define PROC_ROOT_INO 1

#define RETRY(expr)                                                  \
	({                                                           \
		long _rc;                                            \
		do                                                   \
			_rc = (long)(expr);                          \
		while (_rc < 0 && errno == EINTR);                   \
		_rc;                                                 \
	})

int procfs_check_root(int fd)
{
	struct statfs sfs;
	struct stat st;

	if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO || !S_ISDIR(st.st_mode))
		return -EXDEV;
	return 0;
}

/* Takes fd; returns it when it is a procfs root, else closes it. */
static int verified(int fd)
{
	int rc;

	if (fd < 0)
		return -errno;
	if ((rc = procfs_check_root(fd)) < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int procfs_open_host(void)
{
	return verified(open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

static int private_instance(void)
{
	int ctx = fsopen("proc", FSOPEN_CLOEXEC), mnt = -1;

	if (ctx < 0)
		return -errno;
	if (fsconfig(ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(ctx, FSMOUNT_CLOEXEC,
			      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	close(ctx);
	return verified(mnt);
}

int procfs_open_private(void)
{
	int fd = private_instance();

	if (fd >= 0)
		return fd;
	/* Not AT_RECURSIVE: the clone has none of the mounts on top of /proc. */
	return verified(open_tree(AT_FDCWD, "/proc", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
}

int procfs_open(int proc, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	if (proc < 0)
		return -EBADF;
	do
		fd = syscall(SYS_openat2, proc, path, &how, sizeof(how));
	while (fd < 0 && (errno == EINTR || errno == EAGAIN));
	return fd < 0 ? -errno : (int)fd;
}

int procfs_reopen(int proc, int fd, int flags)
{
	char name[16];
	int dir = procfs_open(proc, "self/fd", O_PATH | O_DIRECTORY), out;

	if (dir < 0)
		return dir;
	snprintf(name, sizeof(name), "%d", fd);
	/* The last step is the magic link itself, inside a directory that
	 * was reached without crossing a mount. */
	out = (int)RETRY(openat(dir, name, flags | O_CLOEXEC));
	out = out < 0 ? -errno : out;
	close(dir);
	return out;
}

int procfs_write(int proc, const char *path, const char *data)
{
	size_t len = strlen(data);
	int fd = procfs_open(proc, path, O_WRONLY), rc = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	n = RETRY(write(fd, data, len));
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	close(fd);
	return rc;
}

int procfs_mount_on(int proc, const char *source, int fd, const char *fstype,
		    unsigned long flags, const void *data)
{
	char target[32];
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (cwd < 0)
		return -errno;
	snprintf(target, sizeof(target), "self/fd/%d", fd);
	if (proc < 0)
		rc = -EBADF;
	else if (fchdir(proc) < 0)
		rc = -errno;
	else {
		if (mount(source, target, fstype, flags, data) < 0)
			rc = -errno;
		if (fchdir(cwd) < 0 && rc == 0)
			rc = -errno;
	}
	close(cwd);
	return rc;
}
