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

#include "kernel_api.h"
#include "cleanup.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#define PROC_ROOT_INO 1

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
static int verified(int fd_in)
{
	cleanup_close int fd = fd_in;
	int rc;

	if (fd < 0)
		return -errno;
	if ((rc = procfs_check_root(fd)) < 0)
		return rc;
	return steal_fd(&fd);
}

int procfs_open_host(void)
{
	return verified(open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

static int private_instance(int pids_only)
{
	cleanup_close int ctx = fsopen("proc", FSOPEN_CLOEXEC);
	int mnt = -1;

	if (ctx < 0)
		return -errno;
	/* Best effort, as pathrs: older kernels lack them (Linux 5.8). */
	if (pids_only && fsconfig(ctx, FSCONFIG_SET_STRING, "subset", "pid", 0) == 0)
		(void)fsconfig(ctx, FSCONFIG_SET_STRING, "hidepid", "ptraceable", 0);
	if (fsconfig(ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(ctx, FSMOUNT_CLOEXEC,
			      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	return verified(mnt);
}

int procfs_open_private(int pids_only)
{
	int fd = private_instance(pids_only);

	if (fd >= 0)
		return fd;
	/* Not AT_RECURSIVE: the clone has none of the mounts on top of /proc. */
	return verified(open_tree(AT_FDCWD, "/proc", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
}

/* One directory step of walk(): "self" is read, never followed. */
static int step(int dir, const char *name)
{
	char link[32];
	ssize_t n;

	if (strcmp(name, "..") == 0)
		return -EXDEV;
	if (strcmp(name, "self") == 0) {
		if ((n = readlinkat(dir, name, link, sizeof(link) - 1)) < 0)
			return -errno;
		link[n] = '\0';
		name = link;
	}
	return (int)RETRY_RC(openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

/*
 * procfs_open without openat2, which a seccomp profile older than it
 * refuses (the fifo wait and attr writes may come after the filter): the
 * path component by component, no symlink followed. As safe as openat2's
 * rules only because stage 2's handles are detached mounts, where nothing
 * can be mounted in the way. follow_last: open the last component with
 * flags as given (a magic link of self/fd).
 */
static int walk(int proc, const char *path, int flags, int follow_last)
{
	char buf[256], *save = NULL, *name, *next;
	cleanup_close int dir = -1;
	int fd;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	name = strtok_r(buf, "/", &save);
	for (; name != NULL; name = next) {
		int from = dir < 0 ? proc : dir;

		if ((next = strtok_r(NULL, "/", &save)) == NULL)
			break;
		fd = step(from, name);
		runo_close_fdp(&dir);
		if ((dir = fd) < 0)
			return fd;
	}
	if (name == NULL || strcmp(name, "..") == 0 || strcmp(name, "self") == 0)
		return -EINVAL;
	return (int)RETRY_RC(openat(dir < 0 ? proc : dir, name,
				    flags | O_CLOEXEC | (follow_last ? 0 : O_NOFOLLOW)));
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
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		return walk(proc, path, flags, 0);
	return fd < 0 ? -errno : (int)fd;
}

int procfs_reopen(int proc, int fd, int flags)
{
	char path[32];

	if (proc < 0)
		return -EBADF;
	/* The last step is the magic link itself, inside a directory reached
	 * without a symlink or a mount in the way; plain openat only, as runc
	 * makes after its seccomp filter. */
	snprintf(path, sizeof(path), "self/fd/%d", fd);
	return walk(proc, path, flags, 1);
}

int procfs_write(int proc, const char *path, const char *data)
{
	size_t len = strlen(data);
	cleanup_close int fd = procfs_open(proc, path, O_WRONLY);
	long n;

	if (fd < 0)
		return fd;
	n = RETRY_RC(write(fd, data, len));
	if (n < 0)
		return (int)n;
	return (size_t)n != len ? -EIO : 0;
}

int procfs_mount_on(int proc, const char *source, int fd, const char *fstype,
		    unsigned long flags, const void *data)
{
	char target[32];
	cleanup_close int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

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
	return rc;
}
