/*
 * Filesystems made detached (fdmount_new_fs, MOUNT_IN_ROOT FSMOUNT) and the
 * mount slots that later operations act on, as root, in a private mount
 * namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../c/err.h"
#include "../../c/executor.h"
#include "../../c/fdmount.h"
#include "../../c/ids.h"
#include "test.h"

static struct runo_ctx ctx;
static char R[256];
static int host_ns = -1; /* the mount namespace before ours */

static struct runo_op with_slot(struct runo_op op, uint32_t slot)
{
	op.slot = slot, op.has |= 1ull << RUNO_FIELD_SLOT;
	return op;
}

static int run(struct runo_op op)
{
	return runo_run_op(&op, &ctx);
}

static int writable(const char *dir)
{
	struct statvfs sv;

	return statvfs(dir, &sv) == 0 && !(sv.f_flag & ST_RDONLY);
}

/* A line of /proc/self/mountinfo for the mount at path holding word, or 0. */
static int mountinfo_has(const char *path, const char *word)
{
	char line[1024], pat[600];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int found = 0;

	snprintf(pat, sizeof(pat), " %s ", path);
	while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, pat) != NULL && strstr(line, word) != NULL;
	if (f != NULL)
		fclose(f);
	return found;
}

static void next_option(void)
{
	char buf[] = "a,b=c,context=\"u:r:t:s0:c1,c2\",,d";
	char *cursor = buf;
	const char *want[] = { "a", "b=c", "context=u:r:t:s0:c1,c2", "", "d" };
	size_t n = 0;

	for (char *o; (o = fdmount_next_option(&cursor)) != NULL; n++)
		CHECK(n < 5 && strcmp(o, want[n]) == 0);
	CHECK(n == 5);
}

static void new_fs_errors(void)
{
	struct fdmount_why why;
	int mnt;

	CHECK(fdmount_new_fs("tmpfs", "tmpfs", 0, "mode=755,size=1x", &why) == -EINVAL);
	CHECK(strcmp(why.option, "size=1x") == 0 && strstr(why.log, "size") != NULL);
	CHECK(fdmount_new_fs("tmpfs", "tmpfs", 0, "nosuch", &why) == -EINVAL);
	CHECK(strcmp(why.option, "nosuch") == 0 && strstr(why.log, "nosuch") != NULL);
	CHECK(fdmount_new_fs("tmpfs", "tmpfs", MS_BIND, NULL, &why) == -EINVAL);
	CHECK(strstr(why.option, "0x1000") != NULL);
	/* mount(2)-only flags with no fsconfig parameter are no error. */
	mnt = fdmount_new_fs("tmpfs", "tmpfs", MS_SILENT | MS_I_VERSION | MS_NOSUID, "size=4k", &why);
	CHECK(mnt >= 0);
	if (mnt >= 0)
		close(mnt);
}

/* "fuse.x": the subtype reaches the kernel, as mount(2) passes it. */
static void fuse_subtype(void)
{
	char data[128];
	int dev = open("/dev/fuse", O_RDWR | O_CLOEXEC), fd, mnt;

	if (dev < 0) {
		SKIP("no /dev/fuse for the subtype test");
		return;
	}
	snprintf(data, sizeof(data), "fd=%d,rootmode=40000,user_id=0,group_id=0", dev);
	mkdir(t_join(R, "/fuse"), 0755);
	fd = open(t_join(R, "/fuse"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	mnt = fdmount_new_fs("fuse.runotest", "none", MS_NOSUID, data, NULL);
	CHECK(mnt >= 0 && fd >= 0 && fdmount_attach(mnt, fd) == 0);
	CHECK(mountinfo_has(t_join(R, "/fuse"), " fuse.runotest "));
	if (mnt >= 0)
		close(mnt);
	if (fd >= 0)
		close(fd);
	umount2(t_join(R, "/fuse"), MNT_DETACH);
	close(dev);
}

/* A tmpfs made by FSMOUNT without a magic, its propagation on its fd. */
static void fsmount_tmpfs(void)
{
	struct runo_op op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/t");
	int rc;

	op.source = "tmpfs", op.fstype = "tmpfs", op.flags = MS_NOSUID | MS_NODEV;
	op.data = "size=64k,mode=700", op.opts = RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	CHECK((rc = run(op)) == 0 && ctx.last_mount >= 0);
	if (rc < 0)
		fprintf(stderr, "  fsmount_tmpfs: %s\n", runo_fail_msg());
	CHECK(mountinfo_has(t_join(R, "/t"), "nosuid,nodev") && mountinfo_has(t_join(R, "/t"), "size=64k,mode=700"));
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/t");
	op.flags = MS_SHARED, op.opts = RUNO_MOUNTOPT_ON_LAST_MOUNT;
	CHECK(run(op) == 0 && mountinfo_has(t_join(R, "/t"), "shared:"));

	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/bad");
	op.source = "tmpfs", op.fstype = "tmpfs", op.data = "size=1x";
	op.opts = RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	CHECK(run(op) == -EINVAL && strstr(runo_fail_msg(), "option \"size=1x\"") != NULL &&
	      strstr(runo_fail_msg(), "\"/bad\"") != NULL);
	/* Onto a FIFO: ENOTDIR, as mount(2) says, not move_mount's EINVAL. */
	CHECK(mkfifo(t_join(R, "/fifo"), 0644) == 0);
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/fifo");
	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	CHECK(run(op) == -ENOTDIR && strstr(runo_fail_msg(), "\"/fifo\"") != NULL);
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/bad");
	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	/* With a magic, the new filesystem must have it. */
	op.data = NULL, op.num = 0x9fa0, op.has |= 1ull << RUNO_FIELD_NUM;
	CHECK(run(op) == -EXDEV);
}

/* Renames from the host's mount namespace, where from is no mount point:
 * what another container sharing the volume can do meanwhile. */
static int rename_from_host(const char *from, const char *to)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(setns(host_ns, CLONE_NEWNS) == 0 && rename(from, to) == 0 ? 0 : 1);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/*
 * A mount kept in a slot is the one a later REMOUNT and SETATTR_IN_ROOT
 * act on, whatever is at its path by then: here its directory is renamed
 * away (from another mount namespace) and another mount put at the path.
 */
static void slots(void)
{
	struct runo_op op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/s");
	int rc;

	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	CHECK((rc = run(with_slot(op, 3))) == 0 && ctx.slots[3] >= 0);
	if (rc < 0)
		fprintf(stderr, "  slots: %s\n", runo_fail_msg());
	CHECK(rename_from_host(t_join(R, "/s"), t_join(R, "/s.moved")) && mkdir(t_join(R, "/s"), 0755) == 0);
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/s");
	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_FSMOUNT;
	CHECK(run(op) == 0);

	op = t_op(RUNO_OP_REMOUNT, "/s"), op.flags = MS_RDONLY;
	CHECK(run(with_slot(op, 3)) == 0);
	CHECK(!writable(t_join(R, "/s.moved")) && writable(t_join(R, "/s")));
	op = t_op(RUNO_OP_SETATTR_IN_ROOT, "/s"), op.value = MOUNT_ATTR_NOEXEC;
	CHECK(run(with_slot(op, 3)) == 0 && mountinfo_has(t_join(R, "/s.moved"), "noexec") &&
	      !mountinfo_has(t_join(R, "/s"), "noexec"));

	/* An empty slot or one out of range is refused, naming the target. */
	op = t_op(RUNO_OP_REMOUNT, "/s"), op.flags = MS_RDONLY;
	CHECK(run(with_slot(op, 4)) == -EBADF && strstr(runo_fail_msg(), "slot 4") != NULL);
	CHECK(run(with_slot(op, RUNO_MAX_MOUNT_SLOTS)) == -EINVAL);
	/* A skipped mount has nothing to keep. */
	op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/none");
	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_IF_EXISTS | RUNO_MOUNTOPT_FSMOUNT;
	CHECK(run(with_slot(op, 5)) == -ENOENT && ctx.slots[5] < 0);

	CHECK(run(t_op(RUNO_OP_DROP_MOUNT_SLOTS, "")) == 0 && ctx.slots[3] < 0);
	op = t_op(RUNO_OP_REMOUNT, "/s"), op.flags = MS_RDONLY;
	CHECK(run(with_slot(op, 3)) == -EBADF && writable(t_join(R, "/s")));
}

/* runo_ctx_close (the final EXEC's) closes every slot: no fd leaks. */
static void close_slots(void)
{
	struct runo_op op = t_op(RUNO_OP_MOUNT_IN_ROOT, "/c");
	int kept = -1;

	op.source = "tmpfs", op.fstype = "tmpfs", op.opts = RUNO_MOUNTOPT_MKDIR | RUNO_MOUNTOPT_FSMOUNT;
	CHECK(run(with_slot(op, 0)) == 0 && (kept = ctx.slots[0]) >= 0);
	runo_ctx_close(&ctx);
	CHECK(ctx.slots[0] == -1 && fcntl(kept, F_GETFD) < 0 && errno == EBADF);
}

static void in_namespace(void)
{
	host_ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (host_ns < 0 || unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		CHECK(!"unshare(CLONE_NEWNS)");
		return;
	}
	snprintf(R, sizeof(R), "%s", t_scratch("fdmroot"));
	runo_ctx_init(&ctx);
	runo_ctx_open_procfs(&ctx);
	CHECK(run(t_op(RUNO_OP_SET_ROOT, R)) == 0);
	new_fs_errors();
	fuse_subtype();
	fsmount_tmpfs();
	slots();
	close_slots();
}

void test_fdmount(void)
{
	next_option();
	if (!t_root()) {
		SKIP("fsmount and slot ops need root");
		return;
	}
	t_in_child(in_namespace);
}
