/*
 * The plan dispatcher and the process operations of the plan: one short
 * function per operation code, looked up in one table.
 */
#define _GNU_SOURCE
#include "cleanup.h"
#include "executor.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "err.h"
#include "hooks.h"
#include "idmap_mount.h"
#include "inroot.h"
#include "ids.h"
#include "log.h"
#include "procfs.h"
#include "console.h"
#include "sync.h"

static int op_sethostname(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *name = op->data;

	(void)ctx;
	if (sethostname(name, strlen(name)) < 0)
		return runo_fail(errno, "sethostname \"%s\"", name);
	return 0;
}

static int op_setdomainname(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *name = op->data;

	(void)ctx;
	if (setdomainname(name, strlen(name)) < 0)
		return runo_fail(errno, "setdomainname \"%s\"", name);
	return 0;
}

/* TARGET is under a verified procfs: a sysctl or an attr file the
 * container cannot redirect by covering its /proc. The handle the init
 * keeps shows pids only; a sysctl gets a full private instance for the
 * write alone. */
static int op_write_file(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *t = op->target;
	int sys = strncmp(t, "sys/", 4) == 0, proc, rc;
	cleanup_close int full = -1;

	if (sys && (full = procfs_open_private(0)) < 0)
		return runo_fail(-full, "write \"/proc/%s\": no verified procfs", t);
	if ((proc = sys ? full : runo_ctx_proc(ctx, "write")) < 0)
		return proc;
	rc = procfs_write(proc, t, op->data);
	if (rc == -EIO)
		return runo_fail_plain(EIO, "write \"/proc/%s\": short write", t);
	return rc < 0 ? runo_fail(-rc, "write \"/proc/%s\"", t) : 0;
}

static int op_sync_ready(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)op, (void)ctx;
	return runo_sync_ready();
}

static int op_setrlimit(const struct runo_op *op, struct runo_ctx *ctx)
{
	struct { uint64_t cur, max; } lim = { op->value, op->value2 };

	(void)ctx;
	if (syscall(SYS_prlimit64, 0, op->num, &lim, NULL) < 0)
		return runo_fail(errno, "setrlimit %u", op->num);
	return 0;
}

static int op_umask(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	umask((mode_t)op->mode & 0777);
	return 0;
}

/* Where a seccomp filter older than openat2 refuses it (CHDIR follows the
 * early filter, as in runc): a plain chdir inside the root, then runc's
 * check that the cwd is reachable from it, which a cwd in a detached
 * procfs or outside the root is not (getcwd: ENOENT, "(unreachable)"). */
static int chdir_checked(const char *t)
{
	char buf[4096];

	if (chdir(t) < 0)
		return runo_fail(errno, "chdir \"%s\"", t);
	if (getcwd(buf, sizeof(buf)) == NULL || buf[0] != '/')
		return runo_fail_plain(EPERM, "chdir \"%s\": the cwd is outside the container's root", t);
	return 0;
}

/* The cwd is resolved in root with no magic link: a cwd of
 * /proc/self/fd/N cannot land on one of the init's fds (CVE-2024-21626). */
static int op_chdir(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *t = op->target;
	cleanup_close int fd = -1;

	if (ctx->rootfd < 0)
		return runo_fail_plain(EBADF, "chdir \"%s\": no SET_ROOT before it", t);
	if ((fd = inroot_open(ctx->rootfd, t, O_PATH | O_DIRECTORY)) == -ENOSYS || fd == -EPERM)
		return chdir_checked(t);
	if (fd < 0)
		return runo_fail(-fd, "chdir \"%s\"", t);
	return fchdir(fd) < 0 ? runo_fail(errno, "chdir \"%s\"", t) : 0;
}

/* Without close_range (ENOSYS before Linux 5.9, EINVAL before 5.11 for
 * CLOSE_RANGE_CLOEXEC, EPERM under an outer seccomp filter), mark each fd
 * up to the hard RLIMIT_NOFILE, capped: the init's own fds are few and low. */
static int cloexec_each(unsigned int from)
{
	struct rlimit rl;
	unsigned int max = 1U << 16;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max < max)
		max = (unsigned int)rl.rlim_max;
	for (unsigned int fd = from; fd < max; fd++) {
		int fl = fcntl((int)fd, F_GETFD);

		if (fl >= 0 && !(fl & FD_CLOEXEC) && fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC) < 0)
			return runo_fail(errno, "fcntl %u F_SETFD FD_CLOEXEC", fd);
	}
	return 0;
}

static int op_cloexec_from(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (syscall(SYS_close_range, op->num, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL && errno != EPERM)
		return runo_fail(errno, "close_range %u CLOSE_RANGE_CLOEXEC", op->num);
	return cloexec_each(op->num);
}

/*
 * X_OK for the effective ids, as Go's exec.LookPath (runc): faccessat2 with
 * AT_EACCESS, and the mode bits alone where the kernel lacks it (ENOSYS) or
 * a seccomp profile from before it refuses it (EPERM). glibc's faccessat()
 * would fail on that EPERM instead of falling back.
 */
static int is_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (syscall(SYS_faccessat2, AT_FDCWD, path, X_OK, AT_EACCESS) == 0)
		return 1;
	if (errno != ENOSYS && errno != EPERM)
		return 0;
	return (st.st_mode & 0111) != 0;
}

/* As Go's exec.LookPath, which runc uses: an empty $PATH entry means ".". */
static int op_lookup_exec(const struct runo_op *op, struct runo_ctx *ctx)
{
	const char *name = op->source, *p = op->data;

	ctx->exec_path = NULL;
	if (strchr(name, '/') != NULL) {
		/* Go checks a path too, so a missing program fails create, where
		 * engines (containerd, podman) report it, not start. */
		struct stat st;

		if (stat(name, &st) < 0)
			return runo_fail(errno, "exec: \"%s\": stat %s", name, name);
		if (S_ISDIR(st.st_mode) || !(st.st_mode & 0111))
			return runo_fail_plain(EACCES, "exec: \"%s\": permission denied", name);
		ctx->exec_path = name;
		return 0;
	}
	while (*name != '\0') { /* an empty name is never found */
		size_t dirlen = strcspn(p, ":");
		int n = snprintf(ctx->exec_buf, sizeof(ctx->exec_buf), "%.*s/%s",
				 dirlen ? (int)dirlen : 1, dirlen ? p : ".", name);

		if (n > 0 && (size_t)n < sizeof(ctx->exec_buf) && is_executable(ctx->exec_buf)) {
			ctx->exec_path = ctx->exec_buf;
			return 0;
		}
		if (p[dirlen] == '\0')
			break;
		p += dirlen + 1;
	}
	return runo_fail_plain(ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

static int op_close_init_pipe(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)op, (void)ctx;
	return runo_sync_close();
}

static int op_fifo_wait(const struct runo_op *op, struct runo_ctx *ctx)
{
	int proc = runo_ctx_proc(ctx, "open exec fifo");
	cleanup_close int fd = -1;
	ssize_t n;

	if (proc < 0)
		return proc;
	/* Blocks until `runo start` opens the fifo for reading. */
	if ((fd = procfs_reopen(proc, op->fd, O_WRONLY)) < 0)
		return runo_fail(-fd, "open exec fifo (fd %d)", op->fd);
	if ((n = RETRY(write(fd, "0", 1))) != 1)
		return runo_fail(n < 0 ? errno : EIO, "write exec fifo");
	close(op->fd);
	return 0;
}

static int op_exec(const struct runo_op *op, struct runo_ctx *ctx)
{
	static const char *const none[] = { NULL };
	const char *path = ctx->exec_path ? ctx->exec_path : op->source;
	char *const *argv = (char *const *)(op->args ? op->args : none);
	char *const *envp = (char *const *)(op->env ? op->env : none);

	if (path == NULL)
		return runo_fail_plain(EINVAL, "exec: no LOOKUP_EXEC before it and no source");
	/* CLOEXEC is not enough: execve resolves path while they are open, and
	 * a symlink the container made could lead through /proc/self/fd/N to
	 * the procfs handle (CVE-2024-21626's trick). */
	runo_ctx_close(ctx);
	execve(path, argv, envp);
	return runo_fail(errno, "exec \"%s\"", path);
}

static int op_personality(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	if (personality(op->num) < 0)
		return runo_fail(errno, "personality 0x%x", op->num);
	return 0;
}

static int slot_at(const struct runo_op *op, uint32_t slot)
{
	if (slot >= RUNO_MAX_MOUNT_SLOTS)
		return runo_fail_plain(EINVAL, "\"%s\": mount slot %u is out of range (%d slots)",
				       op->target, slot, RUNO_MAX_MOUNT_SLOTS);
	return (int)slot;
}

static int slot_index(const struct runo_op *op)
{
	return slot_at(op, op->slot);
}

int runo_ctx_keep_slot(struct runo_ctx *ctx, const struct runo_op *op)
{
	int i, fd;

	if (!RUNO_HAS(op, RUNO_FIELD_SLOT))
		return 0;
	if ((i = slot_index(op)) < 0)
		return i;
	if (ctx->last_mount < 0)
		return runo_fail_plain(EBADF, "\"%s\": no mount made to keep in slot %d", op->target, i);
	if ((fd = fcntl(ctx->last_mount, F_DUPFD_CLOEXEC, 0)) < 0)
		return runo_fail(errno, "keep the mount of \"%s\" in slot %d", op->target, i);
	if (ctx->slots[i] >= 0)
		close(ctx->slots[i]);
	ctx->slots[i] = fd;
	return 0;
}

int runo_ctx_dup_slot(const struct runo_ctx *ctx, const struct runo_op *op)
{
	int i = slot_index(op), fd;

	if (i < 0)
		return i;
	if (ctx->slots[i] < 0)
		return runo_fail_plain(EBADF, "\"%s\": no mount kept in slot %d", op->target, i);
	if ((fd = fcntl(ctx->slots[i], F_DUPFD_CLOEXEC, 0)) < 0)
		return runo_fail(errno, "dup the mount of \"%s\" (slot %d)", op->target, i);
	return fd;
}

/* The fd resolved in stays ctx's: an op that needs its own dups it (an
 * O_PATH fd from it, openat2's result, is new anyway). RESOLVE_IN_ROOT
 * makes the slot's mount root the "/" of SUBPATH, so neither ".." nor a
 * symlink leads out of that mount, as from the container's root. */
int runo_ctx_need_root(const struct runo_ctx *ctx, const char *target)
{
	if (ctx->rootfd >= 0)
		return 0;
	return runo_fail_plain(EBADF, "\"%s\" in root: no SET_ROOT before it", target);
}

int runo_ctx_base(const struct runo_ctx *ctx, const struct runo_op *op, struct runo_base *out)
{
	int under = RUNO_HAS(op, RUNO_FIELD_UNDER), i;

	if (under != (int)RUNO_HAS(op, RUNO_FIELD_SUBPATH))
		return runo_fail_plain(EINVAL, "\"%s\": UNDER and SUBPATH go together", op->target);
	if (!under) {
		out->fd = ctx->rootfd, out->path = op->target;
		return runo_ctx_need_root(ctx, op->target);
	}
	if ((i = slot_at(op, op->under)) < 0)
		return i;
	if (ctx->slots[i] < 0)
		return runo_fail_plain(EBADF, "\"%s\": no mount kept in slot %d to resolve it in",
				       op->target, i);
	out->fd = ctx->slots[i], out->path = op->subpath;
	return 0;
}

void runo_ctx_drop_slots(struct runo_ctx *ctx)
{
	for (size_t i = 0; i < RUNO_MAX_MOUNT_SLOTS; i++) {
		if (ctx->slots[i] >= 0)
			close(ctx->slots[i]);
		ctx->slots[i] = -1;
	}
}

static int op_drop_mount_slots(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)op;
	runo_ctx_drop_slots(ctx);
	return 0;
}

static const runo_op_fn op_table[] = {
	[RUNO_OP_MOUNT] = runo_op_mount,
	[RUNO_OP_SET_ROOT] = runo_op_set_root,
	[RUNO_OP_MOUNT_IN_ROOT] = runo_op_mount_in_root,
	[RUNO_OP_MKNOD_IN_ROOT] = runo_op_mknod_in_root,
	[RUNO_OP_SYMLINK_IN_ROOT] = runo_op_symlink_in_root,
	[RUNO_OP_MKDIR_IN_ROOT] = runo_op_mkdir_in_root,
	[RUNO_OP_PIVOT_ROOT] = runo_op_pivot_root,
	[RUNO_OP_MOVE_ROOT] = runo_op_move_root,
	[RUNO_OP_SETHOSTNAME] = op_sethostname,
	[RUNO_OP_SETDOMAINNAME] = op_setdomainname,
	[RUNO_OP_WRITE_FILE] = op_write_file,
	[RUNO_OP_SYNC_READY] = op_sync_ready,
	[RUNO_OP_SETRLIMIT] = op_setrlimit,
	[RUNO_OP_SETGROUPS] = runo_op_setgroups,
	[RUNO_OP_SETGID] = runo_op_setgid,
	[RUNO_OP_SETUID] = runo_op_setuid,
	[RUNO_OP_UMASK] = op_umask,
	[RUNO_OP_CHDIR] = op_chdir,
	[RUNO_OP_CLOEXEC_FROM] = op_cloexec_from,
	[RUNO_OP_LOOKUP_EXEC] = op_lookup_exec,
	[RUNO_OP_CLOSE_INIT_PIPE] = op_close_init_pipe,
	[RUNO_OP_FIFO_WAIT] = op_fifo_wait,
	[RUNO_OP_EXEC] = op_exec,
	[RUNO_OP_REMOUNT] = runo_op_remount,
	[RUNO_OP_HIDE_MOUNT] = runo_op_hide_mount,
	[RUNO_OP_SETATTR_IN_ROOT] = runo_op_setattr_in_root,
	[RUNO_OP_DROP_MOUNT_SLOTS] = op_drop_mount_slots,
	[RUNO_OP_LINK_UP] = runo_op_link_up,
	[RUNO_OP_NO_NEW_PRIVS] = runo_op_no_new_privs,
	[RUNO_OP_SECCOMP] = runo_op_seccomp,
	[RUNO_OP_KEEPCAPS] = runo_op_keepcaps,
	[RUNO_OP_CAP_BOUNDING] = runo_op_cap_bounding,
	[RUNO_OP_CAPSET] = runo_op_capset,
	[RUNO_OP_CAP_AMBIENT] = runo_op_cap_ambient,
	[RUNO_OP_MASK_PATH] = runo_op_mask_path,
	[RUNO_OP_READONLY_PATH] = runo_op_readonly_path,
	[RUNO_OP_PERSONALITY] = op_personality,
	[RUNO_OP_CHROOT] = runo_op_chroot,
	[RUNO_OP_IOPRIO_SET] = runo_op_ioprio_set,
	[RUNO_OP_SCHED_SETATTR] = runo_op_sched_setattr,
	[RUNO_OP_SET_MEMPOLICY] = runo_op_set_mempolicy,
	[RUNO_OP_CONSOLE] = runo_op_console,
	[RUNO_OP_CHOWN_STDIO] = runo_op_chown_stdio,
	[RUNO_OP_RUN_HOOK] = runo_op_run_hook,
	[RUNO_OP_ATTACH_TREE_IN_ROOT] = runo_op_attach_tree_in_root,
};

void runo_ctx_init(struct runo_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->rootfd = -1;
	ctx->procfd = -EBADF;
	ctx->devnull = -1;
	ctx->maskfd = -1;
	ctx->last_mount = -1;
	for (size_t i = 0; i < RUNO_MAX_MOUNT_SLOTS; i++)
		ctx->slots[i] = -1;
}

void runo_ctx_keep_mount(struct runo_ctx *ctx, int mnt)
{
	if (ctx->last_mount >= 0)
		close(ctx->last_mount);
	ctx->last_mount = mnt;
}

void runo_ctx_open_procfs(struct runo_ctx *ctx)
{
	if (ctx->procfd >= 0)
		close(ctx->procfd);
	ctx->procfd = procfs_open_private(1);
}

void runo_ctx_close(struct runo_ctx *ctx)
{
	int *fds[] = { &ctx->rootfd, &ctx->procfd, &ctx->devnull, &ctx->maskfd, &ctx->last_mount };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	ctx->procfd = -EBADF;
	runo_ctx_drop_slots(ctx);
}

int runo_ctx_proc(const struct runo_ctx *ctx, const char *what)
{
	if (ctx->procfd >= 0)
		return ctx->procfd;
	if (ctx->procfd == -EXDEV)
		return runo_fail_plain(EXDEV, "%s: no verified procfs handle: a private procfs was refused and /proc is not a procfs root",
				       what);
	return runo_fail(-ctx->procfd, "%s: no verified procfs handle", what);
}

bool runo_op_known(uint32_t code)
{
	return code < sizeof(op_table) / sizeof(op_table[0]) && op_table[code] != NULL;
}

int runo_run_op(const struct runo_op *op, struct runo_ctx *ctx)
{
	if (!runo_op_known(op->code))
		return runo_fail_plain(EINVAL, "unknown op code %u", op->code);
	return op_table[op->code](op, ctx);
}

int runo_run_plan(const struct runo_op *ops, size_t n, struct runo_ctx *ctx, size_t *failed)
{
	for (size_t i = 0; i < n; i++) {
		int rc;

		runo_debug("op %zu: code %u %s", i, ops[i].code, ops[i].target ? ops[i].target : "");
		rc = runo_run_op(&ops[i], ctx);
		/* A credential change may make us dumpable again (fs.suid_dumpable);
		 * stay non-dumpable until the final execve. */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		if (rc < 0) {
			*failed = i;
			return rc;
		}
	}
	return 0;
}
