/*
 * The init's messages to and from the parent: one JSON object per
 * SOCK_SEQPACKET packet. The C side only emits and recognises the few
 * fixed shapes of lib/sync/messages.ts.
 */
#define _GNU_SOURCE
#include "cleanup.h"
#include "sync.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "log.h"

static int sync_fd = -1;

void runo_sync_setup(int fd)
{
	sync_fd = fd;
}

int runo_sync_fd(void)
{
	return sync_fd;
}

static int send_text(const char *text, size_t len)
{
	ssize_t n;

	if (sync_fd < 0)
		return -EPIPE;
	n = RETRY(send(sync_fd, text, len, MSG_NOSIGNAL));
	if (n < 0)
		return runo_fail(errno, "send on the init pipe");
	if ((size_t)n != len)
		return runo_fail_plain(EIO, "send on the init pipe: short write");
	return 0;
}

int runo_sync_send_pids(pid_t stage1, pid_t stage2)
{
	char buf[96];
	int len = snprintf(buf, sizeof(buf), "{\"type\":\"procPids\",\"stage1_pid\":%d,\"stage2_pid\":%d}",
			   (int)stage1, (int)stage2);

	return send_text(buf, (size_t)len);
}

int runo_sync_error(int op, int err, const char *msg)
{
	char esc[1024], buf[1200];
	int len;

	runo_json_escape(esc, sizeof(esc), msg);
	len = snprintf(buf, sizeof(buf), "{\"type\":\"procError\",\"op\":%d,\"errno\":%d,\"message\":\"%s\"}",
		       op, err, esc);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -EOVERFLOW;
	return send_text(buf, (size_t)len);
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* Matches the literal tok at *p after blanks; advances *p. */
static int expect(const char **p, const char *end, const char *tok)
{
	size_t n = strlen(tok);

	*p = skip_blanks(*p, end);
	if ((size_t)(end - *p) < n || memcmp(*p, tok, n) != 0)
		return 0;
	*p += n;
	return 1;
}

int runo_sync_is_type(const char *buf, size_t len, const char *type)
{
	const char *p = buf, *end = buf + len;
	size_t n = strlen(type);

	if (!expect(&p, end, "{") || !expect(&p, end, "\"type\"") || !expect(&p, end, ":") ||
	    !expect(&p, end, "\""))
		return 0;
	if ((size_t)(end - p) < n + 1 || memcmp(p, type, n) != 0 || p[n] != '"')
		return 0;
	p += n + 1;
	return expect(&p, end, "}") && skip_blanks(p, end) == end;
}

int runo_sync_ready(void)
{
	static const char ready[] = "{\"type\":\"procReady\"}";
	char buf[256];
	ssize_t n;
	int rc;

	if ((rc = send_text(ready, sizeof(ready) - 1)) < 0)
		return rc;
	n = RETRY(recv(sync_fd, buf, sizeof(buf), 0));
	if (n < 0)
		return runo_fail(errno, "recv procRun on the init pipe");
	if (n == 0)
		return runo_fail_plain(EPIPE, "init pipe closed while waiting for procRun");
	if (!runo_sync_is_type(buf, (size_t)n, "procRun"))
		return runo_fail_plain(EPROTO, "unexpected message while waiting for procRun");
	return 0;
}

int runo_sync_close(void)
{
	int fd = sync_fd;

	sync_fd = -1;
	if (fd >= 0 && close(fd) < 0 && errno != EINTR)
		return runo_fail(errno, "close the init pipe");
	return 0;
}

int runo_send_with_fd(int sock, const void *buf, size_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cmsg;
	ssize_t n;

	memset(cbuf, 0, sizeof(cbuf));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	n = RETRY(sendmsg(sock, &msg, MSG_NOSIGNAL));
	return n < 0 ? -errno : 0;
}
