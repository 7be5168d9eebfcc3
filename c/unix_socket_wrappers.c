/*
 * libnsexec.so wrappers for unix sockets (c/libnsexec.h): stream sockets
 * that carry a pty master or a pidfd (SCM_RIGHTS), and sd_notify's
 * datagrams. Each returns its result or -errno, retries EINTR, and never
 * prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "libnsexec.h"

static int unix_addr(const char *path, struct sockaddr_un *addr)
{
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr->sun_path))
		return -ENAMETOOLONG;
	strcpy(addr->sun_path, path);
	return 0;
}

int runo_connect_unix(const char *path)
{
	struct sockaddr_un addr;
	cleanup_close int fd = -1;
	int rc;

	if ((rc = unix_addr(path, &addr)) < 0)
		return rc;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (RETRY(connect(fd, (struct sockaddr *)&addr, sizeof(addr))) < 0)
		return -errno;
	return steal_fd(&fd);
}

int runo_listen_unix(const char *path)
{
	struct sockaddr_un addr;
	cleanup_close int fd = -1;
	int rc;

	if ((rc = unix_addr(path, &addr)) < 0)
		return rc;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 4) < 0)
		return -errno;
	return steal_fd(&fd);
}

/* A nonblocking unix datagram socket bound at path (a stale socket file
 * there is replaced) with the file's mode set to mode: sd_notify's
 * receiving end (runc notify_socket.go binds it and chmods it 0777). */
int runo_dgram_bind(const char *path, int mode)
{
	struct sockaddr_un addr;
	struct stat st;
	cleanup_close int fd = -1;
	int rc;

	if ((rc = unix_addr(path, &addr)) < 0)
		return rc;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, (mode_t)mode) < 0)
		return -errno;
	return steal_fd(&fd);
}

/* One datagram to the unix socket at path, with fd beside it (SCM_RIGHTS)
 * unless fd < 0; returns the bytes sent. */
int64_t runo_dgram_send(const char *path, const uint8_t *buf, uint64_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct sockaddr_un addr;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = (size_t)len };
	struct msghdr msg = { .msg_name = &addr, .msg_namelen = sizeof(addr), .msg_iov = &iov,
			      .msg_iovlen = 1 };
	struct cmsghdr *cmsg;
	cleanup_close int sock = -1;
	int64_t rc;

	if ((rc = unix_addr(path, &addr)) < 0)
		return rc;
	if (fd >= 0) {
		memset(cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	if ((sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	return RETRY_RC(sendmsg(sock, &msg, MSG_NOSIGNAL));
}

int runo_accept(int fd)
{
	return (int)RETRY_RC(accept4(fd, NULL, NULL, SOCK_CLOEXEC));
}

int runo_recv_fd(int sock, uint8_t *name, uint64_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = name, .iov_len = len > 0 ? (size_t)len - 1 : 0 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd;

	n = RETRY(recvmsg(sock, &msg, MSG_CMSG_CLOEXEC));
	if (n < 0)
		return -errno;
	if (len > 0)
		name[n] = '\0';
	cmsg = CMSG_FIRSTHDR(&msg);
	if (n == 0 && cmsg == NULL)
		return -EPIPE;
	if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}
