/* runo_read_regular: only regular files are read, nothing blocks, no
 * symlink leads out of a root, and the size cap holds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../../c/libnsexec.h"
#include "test.h"

static void put(const char *root, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void link_in(const char *root, const char *target, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, name);
	if (symlink(target, p) < 0)
		perror(p);
}

static int64_t rd(const char *root, const char *path, int mode, uint8_t *buf, uint64_t len,
		  uint64_t *info)
{
	info[0] = info[1] = 0;
	return runo_read_regular(root, path, buf, len, info, mode);
}

void test_read_regular(void)
{
	const char *r = t_scratch("read-regular");
	char path[512];
	uint8_t buf[64];
	uint64_t info[2];

	mkdir(strcat(strcpy(path, r), "/etc"), 0755);
	put(r, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	put(r, "big", "0123456789");
	link_in(r, "/etc/passwd", "abs");
	snprintf(path, sizeof(path), "%s/fifo", r);
	CHECK(mkfifo(path, 0600) == 0);

	/* A regular file: its bytes, its mode and size. */
	CHECK(rd(r, "/etc/passwd", RUNO_READ_IN_ROOT, buf, sizeof(buf), info) == 26);
	CHECK(S_ISREG(info[0]) && info[1] == 26 && memcmp(buf, "root:", 5) == 0);
	/* An absolute symlink resolves inside the root, not to the host's file. */
	CHECK(rd(r, "abs", RUNO_READ_IN_ROOT, buf, sizeof(buf), info) == 26);
	/* Beneath --root no symlink is followed at all. */
	CHECK(rd(r, "abs", RUNO_READ_BENEATH, buf, sizeof(buf), info) == -ELOOP);
	CHECK(rd(r, "../x", RUNO_READ_BENEATH, buf, sizeof(buf), info) == -EXDEV);
	/* A FIFO with no writer: refused at once (an open for reading would block). */
	CHECK(rd(r, "fifo", RUNO_READ_IN_ROOT, buf, sizeof(buf), info) == -EINVAL);
	CHECK(S_ISFIFO(info[0]));
	snprintf(path, sizeof(path), "%s/fifo", r);
	CHECK(rd(NULL, path, RUNO_READ_FOLLOW, buf, sizeof(buf), info) == -EINVAL);
	/* A directory, a device (/dev/null's O_PATH fd reaches no driver). */
	CHECK(rd(r, "etc", RUNO_READ_IN_ROOT, buf, sizeof(buf), info) == -EINVAL && S_ISDIR(info[0]));
	CHECK(rd(NULL, "/dev/null", RUNO_READ_FOLLOW, buf, sizeof(buf), info) == -EINVAL);
	CHECK(S_ISCHR(info[0]));
	/* The cap: 10 bytes fit in 10, not in 9. */
	CHECK(rd(r, "big", RUNO_READ_BENEATH, buf, 10, info) == 10);
	CHECK(rd(r, "big", RUNO_READ_BENEATH, buf, 9, info) == -EFBIG && info[1] == 10);
	CHECK(rd(r, "missing", RUNO_READ_IN_ROOT, buf, sizeof(buf), info) == -ENOENT);
	/* statfs: /proc is procfs (0x9fa0), a missing path -ENOENT. */
	CHECK(runo_statfs_type("/proc") == 0x9fa0);
	CHECK(runo_statfs_type("/nonexistent-runo") == -ENOENT);
}
