/*
 * runo's container init: `runo:init <initpipe_fd> <logpipe_fd>`.
 *
 * Stages, as runc's nsexec (fresh single-threaded process, exec'd from a
 * sealed memfd by runo_spawn):
 *
 *   stage 0 [runo:[0:PARENT]]  recv + decode the bootstrap, oom_score_adj,
 *     │                        clone stage 1; write its id maps on request;
 *     │                        report procPids; let stage 2 go; exit
 *     └ stage 1 [runo:[1:CHILD]]  setns (the init's pidfd, then paths, user
 *         │                       first), unshare(user) and wait
 *         │                       for the maps, become root, unshare the rest,
 *         │                       time offsets; clone stage 2; send its pid
 *         └ stage 2 [runo:[2:INIT]]  setsid, root creds, unshare(cgroup), then
 *                                    the plan, ending in execve
 *
 * Stages 1 and 2 are cloned with CLONE_PARENT, so all three are children of
 * runo. Any failure is reported once as procError and the stage exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "c/bootstrap.h"
#include "c/cleanup.h"
#include "c/err.h"
#include "c/executor.h"
#include "c/ids.h"
#include "c/idmap.h"
#include "c/log.h"
#include "c/procfs.h"
#include "c/sync.h"

/* Messages between the stages, over private SEQPACKET socketpairs. */
enum {
	SYNC_USERMAP_PLS = 0x40,
	SYNC_USERMAP_ACK,
	SYNC_PID,
	SYNC_PID_ACK,
	SYNC_GO,
	SYNC_FINISH,
};

struct stage_msg {
	uint32_t kind;
	int32_t pid;
};

static struct runo_bootstrap config;
static int sock01[2] = { -1, -1 }; /* stage 0 <-> stage 1 */
static int sock02[2] = { -1, -1 }; /* stage 0 <-> stage 2 */
static pid_t kids[2]; /* children to kill if this stage fails */
/* The host's /proc, opened by stage 0 before anything else: stages 0 and
 * 1 reach /proc only through it. Stage 2 never holds it. */
static int host_proc = -1;

/* Reports err once (procError, or the log once the pipe is closed), exits. */
static __attribute__((noreturn)) void die(int op, int rc)
{
	const char *msg = runo_fail_msg();

	if (runo_sync_error(op, -rc, msg) < 0)
		runo_log(RUNO_LOGLEVEL_ERROR, "op %d: %s", op, msg);
	for (int i = 0; i < 2; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	exit(1);
}

static void check(int rc)
{
	if (rc < 0)
		die(-1, rc);
}

static void set_dumpable(int on)
{
	if (prctl(PR_SET_DUMPABLE, on, 0, 0, 0) < 0)
		die(-1, runo_fail(errno, "prctl PR_SET_DUMPABLE %d", on));
}

/* fork-like clone whose child's parent is our parent (runo). */
static pid_t clone_parent(void)
{
	long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);

	if (pid < 0)
		die(-1, runo_fail(errno, "clone(CLONE_PARENT)"));
	return (pid_t)pid;
}

static void send_msg(int fd, uint32_t kind, pid_t pid)
{
	struct stage_msg m = { kind, pid };
	ssize_t n;

	n = RETRY(send(fd, &m, sizeof(m), MSG_NOSIGNAL));
	if (n != (ssize_t)sizeof(m))
		die(-1, runo_fail(n < 0 ? errno : EIO, "send stage sync 0x%x", kind));
}

/* Receives one message; on EOF the peer stage failed and reported it, so
 * leave quietly. */
static struct stage_msg recv_msg(int fd, uint32_t want)
{
	struct stage_msg m = { 0, 0 };
	ssize_t n;

	n = RETRY(recv(fd, &m, sizeof(m), 0));
	if (n == 0) {
		runo_debug("stage peer exited while waiting for 0x%x", want);
		for (int i = 0; i < 2; i++)
			if (kids[i] > 0)
				kill(kids[i], SIGKILL);
		exit(1);
	}
	if (n != (ssize_t)sizeof(m))
		die(-1, runo_fail(n < 0 ? errno : EIO, "recv stage sync 0x%x", want));
	if (want != 0 && m.kind != want)
		die(-1, runo_fail_plain(EPROTO, "stage sync: got 0x%x, want 0x%x", m.kind, want));
	return m;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* ---- stage 2 ---- */

static __attribute__((noreturn)) void stage2(void)
{
	struct runo_ctx ctx;
	size_t failed = 0;
	int rc;

	prctl(PR_SET_NAME, (unsigned long)"runo:[2:INIT]", 0, 0, 0);
	kids[0] = kids[1] = 0;
	close_fd(&sock01[1]);
	recv_msg(sock02[1], SYNC_GO);
	if (setsid() < 0)
		die(-1, runo_fail(errno, "setsid"));
	if (setresgid(0, 0, 0) < 0)
		die(-1, runo_fail(errno, "setresgid 0"));
	if (setresuid(0, 0, 0) < 0)
		die(-1, runo_fail(errno, "setresuid 0"));
	if (!config.setgroups_deny && setgroups(0, NULL) < 0)
		die(-1, runo_fail(errno, "setgroups"));
	if ((config.clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		die(-1, runo_fail(errno, "unshare(CLONE_NEWCGROUP)"));
	set_dumpable(0);
	send_msg(sock02[1], SYNC_FINISH, 0);
	close_fd(&sock02[1]);
	runo_ctx_init(&ctx);
	/* Before any plan operation: nothing of the container has run in
	 * these namespaces yet (exec: the handle is a private instance). */
	runo_ctx_open_procfs(&ctx);
	if ((rc = runo_run_plan(config.ops, config.nops, &ctx, &failed)) < 0)
		die((int)failed, rc);
	runo_debug("plan ended without EXEC");
	exit(0);
}

/* ---- stage 1 ---- */

/* One setns(2) joins every namespace asked for of the process the pidfd
 * pins (exec: the container's init), user first as the kernel orders them;
 * no path under /proc/<pid> is resolved, so a reused pid cannot lead us
 * into a stranger's namespaces. The pidfd is closed at once: stage 2 and
 * the container's program never hold it. */
static int join_pidfd(void)
{
	int rc = setns(config.join_pidfd, (int)config.join_flags);

	close_fd(&config.join_pidfd);
	if (rc < 0)
		die(-1, runo_fail(errno, "setns 0x%x of the container's init (pidfd)",
				  config.join_flags));
	return (config.join_flags & CLONE_NEWUSER) != 0;
}

/* Opens every path before joining any namespace: after setns(mnt) the
 * remaining paths might no longer resolve. */
static int join_namespaces(void)
{
	int *fds = calloc(config.nns + 1, sizeof(int)), joined_user = 0;

	if (fds == NULL)
		die(-1, runo_fail(ENOMEM, "calloc"));
	if (config.join_pidfd >= 0)
		joined_user = join_pidfd();
	for (size_t i = 0; i < config.nns; i++)
		if ((fds[i] = open(config.ns[i].path, O_RDONLY | O_CLOEXEC)) < 0)
			die(-1, runo_fail(errno, "open namespace \"%s\"", config.ns[i].path));
	for (size_t i = 0; i < config.nns; i++) {
		if (setns(fds[i], (int)config.ns[i].flag) < 0)
			die(-1, runo_fail(errno, "setns \"%s\"", config.ns[i].path));
		close(fds[i]);
		joined_user |= config.ns[i].flag == CLONE_NEWUSER;
	}
	free(fds);
	return joined_user;
}

static void new_user_namespace(void)
{
	if (unshare(CLONE_NEWUSER) < 0)
		die(-1, runo_fail(errno, "unshare(CLONE_NEWUSER)"));
	/* Stage 0 (or newuidmap) must be able to open our /proc files. */
	set_dumpable(1);
	send_msg(sock01[1], SYNC_USERMAP_PLS, 0);
	recv_msg(sock01[1], SYNC_USERMAP_ACK);
	set_dumpable(0);
}

/* The offsets of a new time namespace can only be written before any
 * process lives in it (time_namespaces(7)), so before cloning stage 2. */
static void time_offsets(int in_userns)
{
	int rc;

	if (config.timens_offsets == NULL)
		return;
	if (in_userns)
		set_dumpable(1);
	rc = runo_write_proc(host_proc, 0, "timens_offsets", config.timens_offsets);
	if (in_userns)
		set_dumpable(0);
	check(rc);
}

static __attribute__((noreturn)) void stage1(void)
{
	uint32_t rest = config.clone_flags & ~(uint32_t)(CLONE_NEWUSER | CLONE_NEWCGROUP);
	int in_userns;
	pid_t pid;

	prctl(PR_SET_NAME, (unsigned long)"runo:[1:CHILD]", 0, 0, 0);
	kids[0] = kids[1] = 0;
	close_fd(&sock01[0]);
	close_fd(&sock02[0]);
	in_userns = join_namespaces();
	if (config.clone_flags & CLONE_NEWUSER) {
		new_user_namespace();
		in_userns = 1;
	}
	if (in_userns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		die(-1, runo_fail(errno, "become root in the user namespace"));
	if (rest != 0 && unshare((int)rest) < 0)
		die(-1, runo_fail(errno, "unshare(0x%x)", rest));
	time_offsets(in_userns);
	close_fd(&host_proc);
	if ((pid = clone_parent()) == 0)
		stage2();
	kids[0] = pid;
	close_fd(&sock02[1]);
	send_msg(sock01[1], SYNC_PID, pid);
	recv_msg(sock01[1], SYNC_PID_ACK);
	exit(0);
}

/* ---- stage 0 ---- */

static uint8_t *recv_bootstrap(size_t *len)
{
	int fd = runo_sync_fd();
	uint8_t *buf;
	ssize_t n;

	n = RETRY(recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC));
	if (n < 0)
		die(-1, runo_fail(errno, "recv bootstrap"));
	if (n == 0)
		die(-1, runo_fail_plain(EPIPE, "init pipe closed before the bootstrap"));
	if (n > RUNO_MAX_BOOTSTRAP)
		die(-1, runo_fail_plain(EMSGSIZE, "bootstrap: message of %zd bytes is too large", n));
	if ((buf = malloc((size_t)n)) == NULL)
		die(-1, runo_fail(ENOMEM, "malloc bootstrap"));
	n = RETRY(recv(fd, buf, (size_t)n, 0));
	if (n <= 0)
		die(-1, runo_fail(n < 0 ? errno : EPIPE, "recv bootstrap"));
	*len = (size_t)n;
	return buf;
}

/* Before !dumpable would be better (runc), but we are non-dumpable from
 * the first instruction: a rootless stage 0 needs a short dumpable window
 * to open its own /proc/self/oom_score_adj. */
static void oom_score_adj(void)
{
	int rc;

	if (config.oom_score_adj == NULL)
		return;
	if ((rc = runo_write_proc(host_proc, 0, "oom_score_adj", config.oom_score_adj)) == -EACCES) {
		set_dumpable(1);
		rc = runo_write_proc(host_proc, 0, "oom_score_adj", config.oom_score_adj);
		set_dumpable(0);
	}
	check(rc);
}

static void map_user(pid_t pid)
{
	if (config.setgroups_deny)
		check(runo_write_proc(host_proc, pid, "setgroups", "deny"));
	if (config.uid_map != NULL)
		check(runo_write_idmap(host_proc, pid, "uid_map", config.uid_map, config.uidmap_path));
	if (config.gid_map != NULL)
		check(runo_write_idmap(host_proc, pid, "gid_map", config.gid_map, config.gidmap_path));
}

/* Serves stage 1 until it reports stage 2's pid. */
static pid_t serve_stage1(pid_t stage1_pid)
{
	for (;;) {
		struct stage_msg m = recv_msg(sock01[0], 0);

		if (m.kind == SYNC_USERMAP_PLS) {
			map_user(stage1_pid);
			send_msg(sock01[0], SYNC_USERMAP_ACK, 0);
		} else if (m.kind == SYNC_PID) {
			kids[1] = m.pid;
			send_msg(sock01[0], SYNC_PID_ACK, 0);
			return m.pid;
		} else
			die(-1, runo_fail_plain(EPROTO, "stage sync: unexpected 0x%x", m.kind));
	}
}

static __attribute__((noreturn)) void stage0(void)
{
	size_t len;
	uint8_t *buf = recv_bootstrap(&len);
	pid_t stage1_pid, stage2_pid;

	check(runo_decode(buf, len, &config));
	runo_log_level(config.log_level);
	/* newuidmap, exec'd by stage 0, must not inherit it. */
	if (config.join_pidfd >= 0 && fcntl(config.join_pidfd, F_SETFD, FD_CLOEXEC) < 0)
		die(-1, runo_fail(errno, "fcntl FD_CLOEXEC the init's pidfd %d", config.join_pidfd));
	if ((host_proc = procfs_open_host()) < 0)
		die(-1, runo_fail(-host_proc, "open the host's \"/proc\""));
	runo_debug("stage 0: bootstrap of %zu bytes, %zu ops", len, config.nops);
	oom_score_adj();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock01) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock02) < 0)
		die(-1, runo_fail(errno, "socketpair"));
	if ((stage1_pid = clone_parent()) == 0)
		stage1();
	kids[0] = stage1_pid;
	close_fd(&config.join_pidfd);
	close_fd(&sock01[1]);
	close_fd(&sock02[1]);
	stage2_pid = serve_stage1(stage1_pid);
	close_fd(&sock01[0]);
	check(runo_sync_send_pids(stage1_pid, stage2_pid));
	send_msg(sock02[0], SYNC_GO, 0);
	recv_msg(sock02[0], SYNC_FINISH);
	exit(0);
}

static int parse_fd(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 0 || v > INT32_MAX)
		return -1;
	/* Keep them out of the container's program. */
	if (fcntl((int)v, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	return (int)v;
}

int main(int argc, char **argv)
{
	int initpipe, logpipe;

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_NAME, (unsigned long)"runo:[0:PARENT]", 0, 0, 0);
	if (argc != 3 || (initpipe = parse_fd(argv[1])) < 0 || (logpipe = parse_fd(argv[2])) < 0) {
		static const char usage[] = "usage: runo:init <initpipe_fd> <logpipe_fd>\n";

		if (write(2, usage, sizeof(usage) - 1) < 0)
			return 2;
		return 2;
	}
	runo_log_setup(logpipe, RUNO_LOGLEVEL_ERROR);
	runo_sync_setup(initpipe);
	stage0();
}
