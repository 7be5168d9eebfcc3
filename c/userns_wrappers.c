/*
 * libnsexec.so wrappers for user namespaces and namespace files
 * (c/libnsexec.h): the type of a namespace file (NS_GET_NSTYPE), and
 * idmapped mount trees built in the caller's (host) user namespace, where
 * mount_setattr(MOUNT_ATTR_IDMAP) is allowed: the init of a container in
 * a user namespace of its own lacks CAP_SYS_ADMIN over the filesystem, so
 * the parent builds the detached tree and the init only attaches it
 * (move_mount), as runc 1.2 does. Each returns its result or -errno and
 * never prints. Safe from a multithreaded process: the helper child is
 * created by clone(CLONE_NEWUSER) and only blocks in read(2) and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "libnsexec.h"

int runo_ns_type(const char *path)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int type;

	if (fd < 0)
		return -errno;
	if ((type = ioctl(fd, NS_GET_NSTYPE)) >= 0)
		return type;
	/* Not an nsfs file: 0, so the caller names what it is not. */
	return (errno == ENOTTY || errno == EINVAL) ? 0 : -errno;
}

static int write_map(pid_t pid, const char *name, const char *map)
{
	char path[64];
	size_t len = strlen(map);
	cleanup_close int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -errno;
	if ((n = RETRY(write(fd, map, len))) < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/*
 * A user namespace holding uidmap/gidmap: a child cloned into a new one
 * waits on a pipe while its maps are written and its ns file opened.
 */
static int userns_with_maps(const char *uidmap, const char *gidmap)
{
	char path[64];
	int p[2], rc, fd = -1;
	pid_t child;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	child = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (child == 0) {
		char c;
		close(p[1]);
		(void)RETRY(read(p[0], &c, 1));
		_exit(0);
	}
	rc = child < 0 ? -errno : 0;
	close(p[0]);
	if (rc == 0)
		rc = write_map(child, "uid_map", uidmap);
	if (rc == 0)
		rc = write_map(child, "gid_map", gidmap);
	if (rc == 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			rc = -errno;
	}
	close(p[1]); /* the child exits */
	if (child > 0)
		(void)RETRY(waitpid(child, NULL, __WALL));
	return rc < 0 ? rc : fd;
}

int runo_idmapped_tree(const char *src, int recursive, const char *uidmap, const char *gidmap)
{
	struct mount_attr attr;
	/* 1: clone the submounts too (rbind); 2: idmap them too (ridmap). */
	unsigned int tree_rec = (recursive & 1) ? AT_RECURSIVE : 0;
	unsigned int attr_rec = (recursive & 2) ? AT_RECURSIVE : 0;
	cleanup_close int userns = userns_with_maps(uidmap, gidmap);
	cleanup_close int tree = -1;

	if (userns < 0)
		return userns;
	tree = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | tree_rec);
	if (tree < 0)
		return -errno;
	memset(&attr, 0, sizeof(attr));
	attr.attr_set = MOUNT_ATTR_IDMAP;
	attr.userns_fd = (uint64_t)userns;
	if (mount_setattr(tree, "", AT_EMPTY_PATH | attr_rec, &attr, sizeof(attr)) < 0)
		return -errno;
	return steal_fd(&tree);
}

/* 1 when we may create entries in directory path (faccessat W_OK|X_OK with
 * our effective ids, as mkdir would be checked), 0 when not, -errno when it
 * cannot be told (ENOENT: missing). */
int runo_can_write_dir(const char *path)
{
	if (faccessat(AT_FDCWD, path, W_OK | X_OK, AT_EACCESS) == 0)
		return 1;
	return (errno == EACCES || errno == EPERM || errno == EROFS) ? 0 : -errno;
}
