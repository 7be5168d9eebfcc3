/* Namespace files, idmapped trees (c/userns_wrappers.c) and their
 * attachment by ATTACH_TREE_IN_ROOT (c/idmap_mount.c), as root in a private
 * mount namespace. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../c/executor.h"
#include "../../c/ids.h"
#include "../../c/libnsexec.h"
#include "test.h"

static void ns_files(void)
{
	CHECK(runo_ns_type("/proc/self/ns/net") == CLONE_NEWNET);
	CHECK(runo_ns_type("/proc/self/ns/user") == CLONE_NEWUSER);
	CHECK(runo_ns_type("/proc/self/ns/time") == CLONE_NEWTIME);
	CHECK(runo_ns_type("/etc/hostname") == 0);
	CHECK(runo_ns_type("/nonexistent/ns") == -ENOENT);
	CHECK(runo_can_write_dir("/tmp") == 1);
	CHECK(runo_can_write_dir("/nonexistent") == -ENOENT);
}

static void attach(void)
{
	struct runo_ctx ctx;
	struct runo_op op;
	char R[256], H[256], path[600];
	struct stat st;
	int tree, fd;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		CHECK(!"unshare(CLONE_NEWNS)");
		return;
	}
	snprintf(R, sizeof(R), "%s", t_scratch("idroot"));
	snprintf(H, sizeof(H), "%s", t_scratch("idhost"));
	snprintf(path, sizeof(path), "%s/file", H);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && fchown(fd, 0, 7) == 0);
	close(fd);
	runo_ctx_init(&ctx);
	memset(&op, 0, sizeof(op));
	op.code = RUNO_OP_ATTACH_TREE_IN_ROOT, op.target = "/data", op.fd = -1;
	CHECK(runo_run_op(&op, &ctx) == -EBADF); /* no SET_ROOT yet */
	ctx.rootfd = open(R, O_PATH | O_DIRECTORY | O_CLOEXEC);

	tree = runo_idmapped_tree(H, 0, "0 1234 1\n", "0 4321 10\n");
	CHECK(tree >= 0);
	op.fd = tree;
	CHECK(runo_run_op(&op, &ctx) == 0);
	snprintf(path, sizeof(path), "%s/data/file", R);
	/* On-disk 0:7 is seen through the idmap as 1234:4328. */
	CHECK(stat(path, &st) == 0 && st.st_uid == 1234 && st.st_gid == 4328);
	/* The attached tree is kept for ON_LAST_MOUNT, and replaced by the next. */
	CHECK(ctx.last_mount == tree);
	runo_ctx_keep_mount(&ctx, -1);
	CHECK(fcntl(tree, F_GETFD) < 0 && errno == EBADF);
	/* A source that does not exist fails with its errno, nothing leaked. */
	CHECK(runo_idmapped_tree("/nonexistent", 0, "0 1 1\n", "0 1 1\n") == -ENOENT);
	/* A map the kernel refuses (overlapping ranges) fails before open_tree. */
	CHECK(runo_idmapped_tree(H, 0, "0 1 10\n5 100 1\n", "0 1 1\n") == -EINVAL);
	close(ctx.rootfd);
}

void test_idmap_mount(void)
{
	ns_files();
	if (!t_root()) {
		SKIP("idmapped mounts need root");
		return;
	}
	t_in_child(attach);
}
