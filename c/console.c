/*
 * The console operation (RUNO_OP_CONSOLE): a pty for process.terminal, as
 * runc's setupConsole does it. The master comes from the container's own
 * /dev/ptmx (its devpts instance, so the slave is /dev/pts/N inside the
 * container); the slave is opened through the master with TIOCGPTPEER, so
 * no path lookup in the container can hand us another file. The master
 * travels to whoever holds the console socket (SCM_RIGHTS, the pty name as
 * payload, which is what runc sends and containerd/conmon read); the slave
 * becomes the controlling terminal and fds 0-2.
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
#include <termios.h>
#include <unistd.h>

#include "err.h"
#include "sync.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static int send_master(int sock, int master, const char *name)
{
	int rc = runo_send_with_fd(sock, name, strlen(name), master);

	return rc < 0 ? runo_fail(-rc, "send the pty master on the console socket") : 0;
}

/* Unlocks the pty and applies the initial size. ONLCR stays on, as runc
 * leaves it for a console-socket receiver (conmon, containerd's shim);
 * runo's own foreground proxy clears it on its side (pty_proxy.ts). */
static int prepare_master(int master, const struct runo_op *op, char *name, size_t len)
{
	unsigned int n;
	int unlock = 0;

	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return runo_fail(errno, "unlock the pty (TIOCSPTLCK)");
	if (ioctl(master, TIOCGPTN, &n) < 0)
		return runo_fail(errno, "pty number (TIOCGPTN)");
	snprintf(name, len, "/dev/pts/%u", n);
	if (op->value != 0 && op->value2 != 0) {
		struct winsize ws = { .ws_row = (unsigned short)op->value,
				      .ws_col = (unsigned short)op->value2 };

		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			return runo_fail(errno, "set the console size (TIOCSWINSZ)");
	}
	return 0;
}

/* runc's mountConsole: bind the slave onto /dev/console, creating the
 * file first; O_NOFOLLOW so a symlink there cannot redirect the bind. */
static int mount_console(int slave, const char *target)
{
	char src[32];
	int fd = open(target, O_CREAT | O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0666);

	if (fd < 0)
		return runo_fail(errno, "create \"%s\"", target);
	close(fd);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", slave);
	if (mount(src, target, NULL, MS_BIND, NULL) < 0)
		return runo_fail(errno, "bind the pty onto \"%s\"", target);
	return 0;
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
	const char *ptmx = op->source;
	char name[32];
	int master, slave = -1, rc;

	(void)ctx;
	master = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return runo_fail(errno, "open \"%s\"", ptmx);
	if ((rc = prepare_master(master, op, name, sizeof(name))) < 0)
		goto out;
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0) {
		rc = runo_fail(errno, "open the pty slave (TIOCGPTPEER)");
		goto out;
	}
	if (op->target != NULL && (rc = mount_console(slave, op->target)) < 0)
		goto out;
	if ((rc = send_master(op->fd, master, name)) < 0)
		goto out;
	close(op->fd);
	rc = become_tty(slave);
	slave = -1;
out:
	if (slave >= 0)
		close(slave);
	close(master);
	return rc;
}
