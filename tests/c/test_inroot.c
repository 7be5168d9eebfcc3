/* "In root" resolution stays inside the root whatever the rootfs holds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../c/inroot.h"
#include "test.h"

static int same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int exists(const char *dir, const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", dir, rel);
	return lstat(p, &st) == 0;
}

static void make_link(const char *root, const char *target, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, name);
	if (symlink(target, p) < 0)
		perror(p);
}

void test_inroot(void)
{
	const char *r = t_scratch("inroot");
	char escape[64], path[128], base[64];
	int root, fd;

	snprintf(escape, sizeof(escape), "/tmp/runo-escape-%d", (int)getpid());
	make_link(r, "../../../..", "up");
	make_link(r, "/", "abs");
	make_link(r, "/nonexistent-runo/x", "dangle");
	root = open(r, O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(root >= 0);

	/* Relative and absolute symlinks resolve to the root itself. */
	fd = inroot_open(root, "/up", O_PATH);
	CHECK(fd >= 0 && same_file(fd, r));
	close(fd);
	fd = inroot_open(root, "abs/../..", O_PATH);
	CHECK(fd >= 0 && same_file(fd, r));
	close(fd);
	CHECK(inroot_open(root, "/abs/etc/passwd", O_PATH) == -ENOENT);
	CHECK(inroot_open(root, "/proc/self/root", O_PATH) == -ENOENT);

	/* mkdir -p through symlinks creates inside the root. */
	snprintf(path, sizeof(path), "/up%s/a/b", escape);
	fd = inroot_mkdir_all(root, path, 0755);
	CHECK(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/a/b", escape);
	CHECK(exists(r, path));
	CHECK(access(escape, F_OK) < 0);
	fd = inroot_mkdir_all(root, "/sub/x/../../../y", 0700);
	CHECK(fd >= 0 && exists(r, "/sub/x") && exists(r, "/y"));
	close(fd);
	CHECK(inroot_mkdir_all(root, "/dangle/z", 0755) == -ENOENT && access("/nonexistent-runo", F_OK) < 0);

	/* Files and parents. */
	fd = inroot_create_file(root, "/abs/etc/hostname", 0644);
	CHECK(fd >= 0 && exists(r, "/etc/hostname"));
	close(fd);
	CHECK(inroot_create_file(root, "/dangle", 0644) == -ENOENT);
	fd = inroot_parent(root, "/up/dev//null/", base, sizeof(base));
	CHECK(fd >= 0 && strcmp(base, "null") == 0 && exists(r, "/dev"));
	close(fd);
	CHECK(inroot_parent(root, "/", base, sizeof(base)) == -EINVAL);
	CHECK(inroot_parent(root, "/a/..", base, sizeof(base)) == -EINVAL);
	close(root);
}
