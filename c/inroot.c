/*
 * Path resolution inside the container's root. Each lookup goes through
 * openat2(rootfd, ..., RESOLVE_IN_ROOT) from the root fd, never through a
 * directory fd obtained earlier, so a symlink met halfway resolves against
 * the container's root as the kernel would after pivot_root.
 */
#define _GNU_SOURCE
#include "inroot.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <unistd.h>

#include "cleanup.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static int open_in_root(int rootfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
	};
	long fd;

	do
		fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	while (fd < 0 && (errno == EINTR || errno == EAGAIN));
	return fd < 0 ? -errno : (int)fd;
}

int inroot_open(int rootfd, const char *path, int flags)
{
	return open_in_root(rootfd, path, flags, 0);
}

int inroot_open_no_symlinks(int rootfd, const char *path, int flags)
{
	return open_in_root(rootfd, path, flags, RESOLVE_NO_SYMLINKS);
}

static int open_dir(int rootfd, const char *path)
{
	return inroot_open(rootfd, path, O_PATH | O_DIRECTORY);
}

/* One step of mkdir -p: prefix names the component; name is its last part. */
static int mkdir_step(int rootfd, int parentfd, const char *prefix, const char *name, mode_t mode)
{
	int fd = open_dir(rootfd, prefix);

	if (fd != -ENOENT)
		return fd;
	if (mkdirat(parentfd, name, mode) < 0 && errno != EEXIST)
		return -errno;
	/* A dangling symlink makes this ENOENT again: refuse it, as runc does. */
	return open_dir(rootfd, prefix);
}

int inroot_mkdir_all(int rootfd, const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path), i = 0;
	int fd;

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	fd = open_dir(rootfd, "/");
	memcpy(buf, path, len + 1);
	while (fd >= 0) {
		size_t start, end;
		char saved;
		int next;

		while (i < len && buf[i] == '/')
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && buf[i] != '/')
			i++;
		end = i;
		saved = buf[end];
		buf[end] = '\0';
		next = mkdir_step(rootfd, fd, buf, buf + start, mode);
		buf[end] = saved;
		close(fd);
		fd = next;
	}
	return fd;
}

int inroot_parent(int rootfd, const char *path, char *base, size_t cap)
{
	char dir[PATH_MAX];
	size_t len = strlen(path), b;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	b = len;
	while (b > 0 && path[b - 1] != '/')
		b--;
	if (len - b == 0 || len - b >= cap)
		return -EINVAL;
	memcpy(base, path + b, len - b);
	base[len - b] = '\0';
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return -EINVAL;
	memcpy(dir, path, b);
	dir[b] = '\0';
	return inroot_mkdir_all(rootfd, dir, 0755);
}

int inroot_create_file(int rootfd, const char *path, mode_t mode)
{
	char base[256];
	int fd = inroot_open(rootfd, path, O_PATH);
	cleanup_close int dirfd = -1;

	if (fd != -ENOENT)
		return fd;
	if ((dirfd = inroot_parent(rootfd, path, base, sizeof(base))) < 0)
		return dirfd;
	/* mknodat never follows a symlink in the last component. */
	if (mknodat(dirfd, base, S_IFREG | (mode & 07777), 0) < 0 && errno != EEXIST)
		return -errno;
	return inroot_open(rootfd, path, O_PATH);
}
