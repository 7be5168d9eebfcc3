/*
 * The console operation (RUNO_OP_CONSOLE): a pty for process.terminal, as
 * runc's setupConsole does it. The master comes from the container's own
 * devpts (SOURCE, its ptmx, opened in root O_PATH|O_NOFOLLOW and checked
 * to be the ptmx of a devpts, as runc's checkPtmxHandle, then reopened
 * through the verified procfs); the slave is opened through the master
 * with TIOCGPTPEER, so no path lookup in the container can hand us another
 * file. The /dev/console bind goes onto the file opened (or made) in root,
 * or in the /dev mount kept in slot UNDER, never through a symlink. The
 * master travels to whoever holds the console socket (SCM_RIGHTS, with
 * "/dev/ptmx" as payload: the master's name, which is what runc sends);
 * the slave becomes the controlling terminal and fds 0-2.
 */
#define _GNU_SOURCE
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"
#include "err.h"
#include "executor.h"
#include "fdmount.h"
#include "inroot.h"
#include "procfs.h"
#include "sync.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static int send_master(int sock, int master)
{
	static const char name[] = "/dev/ptmx";
	int rc = runo_send_with_fd(sock, name, sizeof(name) - 1, master);

	return rc < 0 ? runo_fail(-rc, "send the pty master on the console socket") : 0;
}

/* Unlocks the pty and applies the initial size. ONLCR stays on, as runc
 * leaves it for a console-socket receiver (conmon, containerd's shim);
 * runo's own foreground proxy clears it on its side (pty_proxy.ts). */
static int prepare_master(int master, const struct runo_op *op)
{
	int unlock = 0;

	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return runo_fail(errno, "unlock the pty (TIOCSPTLCK)");
	if (op->value != 0 && op->value2 != 0) {
		struct winsize ws = { .ws_row = (unsigned short)op->value,
				      .ws_col = (unsigned short)op->value2 };

		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			return runo_fail(errno, "set the console size (TIOCSWINSZ)");
	}
	return 0;
}

/* Opens base in dirfd O_PATH|O_NOFOLLOW, creating it as an empty file;
 * a symlink there is refused (runc opens it O_NOFOLLOW too). */
static int console_target(int dirfd, const char *base, const char *target)
{
	struct stat st;
	cleanup_close int fd = -1;

	if (mknodat(dirfd, base, S_IFREG | 0666, 0) < 0 && errno != EEXIST)
		return runo_fail(errno, "create \"%s\" in root", target);
	if ((fd = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return runo_fail(errno, "open \"%s\" in root", target);
	if (fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
		return steal_fd(&fd);
	return runo_fail_plain(EPERM, "Cannot bind the console onto \"%s\": it is not a file", target);
}

/* runc's mountConsole: bind the slave onto /dev/console in its base (the
 * root, or the /dev mount kept in slot UNDER). */
static int mount_console(const struct runo_op *op, const struct runo_ctx *ctx, int slave)
{
	const char *target = op->target;
	char base[256];
	struct runo_base b;
	cleanup_close int dirfd = -1;
	cleanup_close int fd = -1;
	int rc;

	if ((rc = runo_ctx_base(ctx, op, &b)) < 0)
		return rc;
	if ((dirfd = inroot_parent(b.fd, b.path, base, sizeof(base))) < 0)
		return runo_fail(-dirfd, "open the parent of \"%s\" in root", target);
	if ((fd = console_target(dirfd, base, target)) < 0)
		return fd;
	if ((rc = fdmount_bind(slave, fd, 0)) < 0)
		return runo_fail(-rc, "bind the pty onto \"%s\"", target);
	return 0;
}

#define DEVPTS_SUPER_MAGIC_ 0x1cd1
#define PTMX_INO 2 /* fs/devpts/inode.c: mknod_ptmx */

/* The pty master: SOURCE must be the ptmx node of a devpts. */
static int open_ptmx(const struct runo_op *op, const struct runo_ctx *ctx)
{
	const char *ptmx = op->source;
	int proc = runo_ctx_proc(ctx, "open the ptmx"), master;
	cleanup_close int fd = -1;
	struct statfs sfs;
	struct stat st;

	if (proc < 0)
		return proc;
	if ((master = runo_ctx_need_root(ctx, ptmx)) < 0)
		return master;
	if ((fd = inroot_open(ctx->rootfd, ptmx, O_PATH | O_NOFOLLOW)) < 0)
		return runo_fail(-fd, "open \"%s\" in root", ptmx);
	if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC_ ||
	    st.st_ino != PTMX_INO || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
		return runo_fail_plain(EPERM, "\"%s\" is not the ptmx of a devpts", ptmx);
	master = procfs_reopen(proc, fd, O_RDWR | O_NOCTTY);
	return master < 0 ? runo_fail(-master, "open \"%s\"", ptmx) : master;
}

static int become_tty(int slave)
{
	for (int i = 0; i < 3; i++)
		if (dup3(slave, i, 0) < 0)
			return runo_fail(errno, "dup the pty onto fd %d", i);
	if (slave > 2)
		close(slave);
	/* The init is a session leader (setsid in stage 2) without a tty. */
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return runo_fail(errno, "make the pty the controlling terminal (TIOCSCTTY)");
	return 0;
}

int runo_op_console(const struct runo_op *op, struct runo_ctx *ctx)
{
	cleanup_close int master = open_ptmx(op, ctx);
	cleanup_close int slave = -1;
	int rc;

	if (master < 0)
		return master;
	if ((rc = prepare_master(master, op)) < 0)
		return rc;
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return runo_fail(errno, "open the pty slave (TIOCGPTPEER)");
	if (op->target != NULL && (rc = mount_console(op, ctx, slave)) < 0)
		return rc;
	if ((rc = send_master(op->fd, master)) < 0)
		return rc;
	close(op->fd);
	return become_tty(steal_fd(&slave));
}

/* runc's fixStdioPermissions: the user must own its terminal (the pty was
 * made by root). /dev/null and fds it cannot chown are left alone. */
int runo_op_chown_stdio(const struct runo_op *op, struct runo_ctx *ctx)
{
	(void)ctx;
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;

		if (fstat(fd, &st) < 0)
			return runo_fail(errno, "fstat fd %d", fd);
		if (st.st_uid == op->uid || (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)))
			continue;
		if (fchown(fd, op->uid, (gid_t)-1) < 0 && errno != EPERM && errno != EROFS)
			return runo_fail(errno, "chown fd %d to %u", fd, op->uid);
	}
	return 0;
}
