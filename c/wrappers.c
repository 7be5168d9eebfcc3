/*
 * The small syscall wrappers runo calls through Deno FFI (c/libnsexec.h).
 * Each returns its result or -errno, retries EINTR, and never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "libnsexec.h"

/* A scratch memfd (libseccomp exports BPF into it; runo reads it back). */
int runo_memfd(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int runo_socketpair(int32_t *out)
{
	int fds[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return -errno;
	out[0] = fds[0], out[1] = fds[1];
	return 0;
}

int runo_pipe(int32_t *out)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	out[0] = fds[0], out[1] = fds[1];
	return 0;
}

int64_t runo_send(int fd, const uint8_t *buf, uint64_t len)
{
	/* MSG_NOSIGNAL: a dead init must be an EPIPE, not a SIGPIPE for runo. */
	long rc = RETRY_RC(send(fd, buf, (size_t)len, MSG_NOSIGNAL));

	if (rc == -ENOTSOCK)
		rc = RETRY_RC(write(fd, buf, (size_t)len));
	return rc;
}

int64_t runo_recv(int fd, uint8_t *buf, uint64_t len)
{
	return RETRY_RC(recv(fd, buf, (size_t)len, 0));
}

/* One packet and the fd that may travel beside it (SCM_RIGHTS; made
 * CLOEXEC); *fd_out is -1 when none came. */
int64_t runo_recv_with_fd(int fd, uint8_t *buf, uint64_t len, int32_t *fd_out)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = (size_t)len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cmsg;
	long n = RETRY_RC(recvmsg(fd, &msg, MSG_CMSG_CLOEXEC));

	*fd_out = -1;
	if (n < 0)
		return n;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg != NULL && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
	    cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd_out, CMSG_DATA(cmsg), sizeof(int));
	if (msg.msg_flags & MSG_CTRUNC) {
		if (*fd_out >= 0)
			close(*fd_out);
		*fd_out = -1;
		return -EMSGSIZE;
	}
	return n;
}

/* Sends buf with fd beside it (SCM_RIGHTS) in one sendmsg on the
 * connected socket sock. */
int64_t runo_send_fd(int sock, const uint8_t *buf, uint64_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = (size_t)len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cmsg;

	memset(cbuf, 0, sizeof(cbuf));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return RETRY_RC(sendmsg(sock, &msg, MSG_NOSIGNAL));
}

/* Connects to the unix stream socket at path, sends buf with fd beside it
 * (SCM_RIGHTS) in one sendmsg, and closes the connection. */
int64_t runo_unix_send_fd(const char *path, const uint8_t *buf, uint64_t len, int fd)
{
	cleanup_close int sock = runo_connect_unix(path);

	if (sock < 0)
		return sock;
	return runo_send_fd(sock, buf, len, fd);
}

int64_t runo_read(int fd, uint8_t *buf, uint64_t len)
{
	return RETRY_RC(read(fd, buf, (size_t)len));
}

int64_t runo_write(int fd, const uint8_t *buf, uint64_t len)
{
	return RETRY_RC(write(fd, buf, (size_t)len));
}

int runo_open(const char *path, int flags, int mode)
{
	return (int)RETRY_RC(open(path, flags, (mode_t)mode));
}

int runo_close(int fd)
{
	/* Linux releases the fd even when close is interrupted: never retry. */
	if (close(fd) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

int runo_kill(int pid, int sig)
{
	return kill(pid, sig) < 0 ? -errno : 0;
}

int runo_waitpid(int pid, int32_t *status, int options)
{
	int st = 0;
	long rc = RETRY_RC(waitpid(pid, &st, options));

	if (rc >= 0 && status != NULL)
		*status = st;
	return (int)rc;
}

int runo_mkfifo(const char *path, int mode)
{
	return mkfifo(path, (mode_t)mode) < 0 ? -errno : 0;
}

int runo_flock(int fd, int op)
{
	return (int)RETRY_RC(flock(fd, op));
}

int runo_set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0)
		return -errno;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ? -errno : 0;
}

int64_t runo_read_file(const char *path, uint8_t *buf, uint64_t len)
{
	cleanup_close int fd = runo_open(path, O_RDONLY | O_CLOEXEC, 0);
	uint64_t got = 0;
	long n = 0;

	if (fd < 0)
		return fd;
	while (got < len && (n = RETRY_RC(read(fd, buf + got, (size_t)(len - got)))) > 0)
		got += (uint64_t)n;
	return n < 0 ? n : (int64_t)got;
}

int64_t runo_write_file(const char *path, const uint8_t *buf, uint64_t len)
{
	cleanup_close int fd = runo_open(path, O_WRONLY | O_CLOEXEC, 0);

	if (fd < 0)
		return fd;
	/* Kernel files (cgroupfs, procfs) take a value in exactly one write. */
	return RETRY_RC(write(fd, buf, (size_t)len));
}

/*
 * runo start: the init blocks in open(exec.fifo, O_WRONLY) and then writes
 * one byte. Opening our end O_NONBLOCK never blocks, and polling it beside
 * a pidfd of the init means an init that died before reaching the fifo is
 * reported (-ESRCH) instead of hanging start forever. runo made the fifo:
 * a symlink there (-ELOOP) or anything but a fifo (-EINVAL) is refused.
 */
int runo_await_fifo(const char *path, int pid)
{
	cleanup_close int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	cleanup_close int fifo = -1;
	struct stat st;
	char byte;

	if (pidfd < 0)
		return -errno;
	fifo = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fifo < 0)
		return -errno;
	if (fstat(fifo, &st) < 0 || !S_ISFIFO(st.st_mode))
		return -EINVAL;
	for (;;) {
		struct pollfd fds[2] = { { .fd = fifo, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };
		ssize_t n = read(fifo, &byte, 1);

		if (n == 1)
			return 0;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		/* n == 0: no writer yet (or it closed without writing). */
		if (poll(fds, 2, n == 0 ? 10 : -1) < 0 && errno != EINTR)
			return -errno;
		if (fds[1].revents & POLLIN)
			return read(fifo, &byte, 1) == 1 ? 0 : -ESRCH;
	}
}
