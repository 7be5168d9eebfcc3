/* The CONSOLE operation (c/console.c), run in a child that becomes a
 * session leader: the master arrives on the socket with the pty's name, the
 * slave is fds 0-2 and the controlling terminal, sized, ONLCR left on (as
 * runc leaves it for console-socket receivers).
 * The child keeps a copy of its stderr for the harness's messages. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "../../c/console.h"
#include "../../c/err.h"
#include "../../c/ids.h"
#include "test.h"

static int recv_master(int sock, char *name, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = name, .iov_len = len - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cmsg;
	ssize_t n = recvmsg(sock, &msg, 0);
	int fd = -1;

	if (n < 0)
		return -1;
	name[n] = '\0';
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg != NULL && cmsg->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

static void console_in_session(void)
{
	struct runo_op op = { .code = RUNO_OP_CONSOLE, .source = "/dev/pts/ptmx", .value = 12, .value2 = 34 };
	struct runo_ctx ctx;
	struct winsize ws = { 0 };
	struct termios t;
	char name[64], buf[8];
	int sv[2], err = dup(2), master;
	unsigned int ptn = 99;

	CHECK(setsid() > 0);
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
	op.fd = sv[1];
	runo_ctx_init(&ctx);
	runo_ctx_open_procfs(&ctx);
	ctx.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(runo_op_console(&op, &ctx) == 0);
	dup2(err, 2);
	CHECK(fcntl(sv[1], F_GETFD) < 0); /* the socket was closed */
	master = recv_master(sv[0], name, sizeof(name));
	CHECK(master >= 0);
	CHECK(ioctl(master, TIOCGPTN, &ptn) == 0);
	CHECK(strcmp(name, "/dev/ptmx") == 0); /* the master's name, as runc sends it */
	CHECK(isatty(0) && isatty(1));
	CHECK(ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 12 && ws.ws_col == 34);
	CHECK(tcgetattr(0, &t) == 0 && (t.c_oflag & ONLCR) != 0);
	CHECK(tcgetpgrp(0) == getpgrp()); /* it is our controlling terminal */
	CHECK(write(1, "hi\n", 3) == 3);
	CHECK(read(master, buf, sizeof(buf)) == 4 && memcmp(buf, "hi\r\n", 4) == 0);
}

static void console_bad_ptmx(void)
{
	struct runo_op op = { .code = RUNO_OP_CONSOLE, .source = "/nonexistent/ptmx", .fd = -1 };
	struct runo_ctx ctx;

	runo_ctx_init(&ctx);
	runo_ctx_open_procfs(&ctx);
	ctx.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(runo_op_console(&op, &ctx) == -ENOENT);
	/* devtmpfs's /dev/ptmx is a ptmx, but not a devpts one: refused. */
	op.source = "/dev/ptmx";
	CHECK(runo_op_console(&op, &ctx) == -EPERM &&
	      strstr(runo_fail_msg(), "is not the ptmx of a devpts") != NULL);
	close(ctx.rootfd);
}

void test_console(void)
{
	if (access("/dev/pts/ptmx", F_OK) < 0 || !t_root()) {
		SKIP("console test needs /dev/pts/ptmx and root");
		return;
	}
	t_in_child(console_in_session);
	console_bad_ptmx();
}
