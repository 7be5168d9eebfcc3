/*
 * LINK_UP in a network namespace of the test's own (as the init in a new
 * one): lo comes up, a second LINK_UP of an up link is a no-op, and a link
 * that does not exist is an error naming it, with ENODEV.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../c/err.h"
#include "../../c/executor.h"
#include "../../c/ids.h"
#include "test.h"

static int link_flags(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, name);
	rc = fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ? -1 : ifr.ifr_flags;
	if (fd >= 0)
		close(fd);
	return rc;
}

static int link_up(const char *name)
{
	struct runo_op op = t_op(RUNO_OP_LINK_UP, name);
	struct runo_ctx ctx;

	op.has = 1ull << RUNO_FIELD_TARGET;
	runo_ctx_init(&ctx);
	return runo_run_op(&op, &ctx);
}

void test_link(void)
{
	int saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), rc;

	if (!t_root() || saved < 0 || unshare(CLONE_NEWNET) < 0) {
		SKIP("LINK_UP: needs root for a network namespace of its own");
		if (saved >= 0)
			close(saved);
		return;
	}
	CHECK(link_flags("lo") >= 0 && !(link_flags("lo") & IFF_UP));
	CHECK(link_up("lo") == 0);
	CHECK(link_flags("lo") & IFF_UP);
	CHECK(link_up("lo") == 0);
	rc = link_up("nope0");
	CHECK(rc == -ENODEV && strstr(runo_fail_msg(), "\"nope0\"") != NULL);
	CHECK(setns(saved, CLONE_NEWNET) == 0);
	close(saved);
}
