/*
 * Reads of files runo does not control (a container's /etc/passwd, a
 * bundle's config.json, the state under --root) and the file system type
 * of a path, called through Deno FFI (c/libnsexec.h). Each returns its
 * result or -errno and never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <unistd.h>

#include "cleanup.h"
#include "libnsexec.h"

/* An O_PATH fd of path: opening with O_PATH never blocks on a FIFO and
 * never calls a device driver's open, whatever the path turns out to be. */
static int open_path(const char *root, const char *path, int mode)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC };
	cleanup_close int rootfd = -1;
	int fd;

	if (mode == RUNO_READ_FOLLOW) {
		fd = open(path, O_PATH | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	how.resolve = mode == RUNO_READ_IN_ROOT ? RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS
						: RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	/* openat2 says EAGAIN when a rename or mount elsewhere raced the
	 * lookup (RESOLVE_IN_ROOT/BENEATH); it is safe to try again. */
	for (int tries = 0; tries < 64; tries++) {
		fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
		if (fd >= 0 || (errno != EAGAIN && errno != EINTR))
			break;
	}
	return fd < 0 ? -errno : fd;
}

/* Reads the regular file behind an O_PATH fd through /proc/self/fd: the
 * same inode fstat saw, opened for reading only now that it is known to be
 * a regular file. More than len bytes is -EFBIG. */
static int64_t read_checked(int pathfd, uint8_t *buf, uint64_t len)
{
	char link[32];
	uint64_t got = 0;
	long n = 0;
	char extra;
	cleanup_close int fd = -1;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", pathfd);
	fd = open(link, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (got < len && (n = RETRY_RC(read(fd, buf + got, (size_t)(len - got)))) > 0)
		got += (uint64_t)n;
	if (n >= 0 && got == len && RETRY_RC(read(fd, &extra, 1)) > 0)
		n = -EFBIG;
	return n < 0 ? n : (int64_t)got;
}

int64_t runo_read_regular(const char *root, const char *path, uint8_t *buf, uint64_t len,
			  uint64_t *info, int mode)
{
	struct stat st;
	cleanup_close int fd = open_path(root, path, mode);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	info[0] = st.st_mode;
	info[1] = (uint64_t)st.st_size;
	if (!S_ISREG(st.st_mode))
		return -EINVAL; /* the caller tells the kind from info[0] */
	if ((uint64_t)st.st_size > len)
		return -EFBIG;
	return read_checked(fd, buf, len);
}

int64_t runo_statfs_type(const char *path)
{
	struct statfs sfs;
	long rc = RETRY_RC(statfs(path, &sfs));

	return rc < 0 ? rc : (int64_t)(uint64_t)sfs.f_type;
}
