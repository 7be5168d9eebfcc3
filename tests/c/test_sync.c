/* Init-pipe framing and JSON escaping. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../c/log.h"
#include "../../c/sync.h"
#include "test.h"

static int is_type(const char *s, const char *type)
{
	return runo_sync_is_type(s, strlen(s), type);
}

static void test_messages(void)
{
	int sp[2];
	char buf[512];
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) < 0) {
		CHECK(0);
		return;
	}
	runo_sync_setup(sp[1]);
	CHECK(runo_sync_send_pids(12, 34) == 0);
	n = recv(sp[0], buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	CHECK(strcmp(buf, "{\"type\":\"procPids\",\"stage1_pid\":12,\"stage2_pid\":34}") == 0);
	CHECK(runo_sync_error(3, 2, "mount \"a\"\n") == 0);
	n = recv(sp[0], buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	CHECK(strcmp(buf, "{\"type\":\"procError\",\"op\":3,\"errno\":2,\"message\":\"mount \\\"a\\\"\\n\"}") == 0);
	/* procReady out, procRun back. */
	CHECK(send(sp[0], "{\"type\":\"procRun\"}", 18, 0) == 18);
	CHECK(runo_sync_ready() == 0);
	n = recv(sp[0], buf, sizeof(buf) - 1, 0);
	CHECK(n == 20 && memcmp(buf, "{\"type\":\"procReady\"}", 20) == 0);
	CHECK(send(sp[0], "{\"type\":\"procHooks\"}", 20, 0) == 20);
	CHECK(runo_sync_ready() == -EPROTO);
	CHECK(runo_sync_close() == 0 && runo_sync_fd() == -1);
	CHECK(runo_sync_error(0, 1, "x") == -EPIPE);
	close(sp[0]);
}

void test_sync(void)
{
	char out[64];

	CHECK(is_type("{\"type\":\"procRun\"}", "procRun"));
	CHECK(is_type(" { \"type\" : \"procRun\" }\n", "procRun"));
	CHECK(!is_type("{\"type\":\"procRunX\"}", "procRun"));
	CHECK(!is_type("{\"type\":\"procRun\",\"x\":1}", "procRun"));
	CHECK(!is_type("{\"type\":\"procRun\"", "procRun"));
	runo_json_escape(out, sizeof(out), "a\"b\\c\n\x01");
	CHECK(strcmp(out, "a\\\"b\\\\c\\n\\u0001") == 0);
	runo_json_escape(out, 5, "abcdefgh");
	CHECK(strcmp(out, "abcd") == 0);
	runo_json_escape(out, 4, "ab\"");
	CHECK(strcmp(out, "ab") == 0);
	test_messages();
}
