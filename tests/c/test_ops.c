/* Process operations of the plan, each run in a forked child. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../c/err.h"
#include "../../c/executor.h"
#include "../../c/ids.h"
#include "../../c/sync.h"
#include "test.h"

static struct runo_ctx ctx;

static struct runo_op mk(uint32_t code)
{
	struct runo_op op;

	memset(&op, 0, sizeof(op));
	op.code = code;
	op.fd = -1;
	return op;
}

static int run(struct runo_op op)
{
	return runo_run_op(&op, &ctx);
}

static void lookup_exec(void)
{
	struct runo_op op = mk(RUNO_OP_LOOKUP_EXEC);

	runo_ctx_init(&ctx);
	op.source = "sh", op.data = "/nonexistent-runo::/bin";
	CHECK(run(op) == 0 && ctx.exec_path && strcmp(ctx.exec_path, "/bin/sh") == 0);
	op.source = "nope-runo";
	CHECK(run(op) == -ENOENT && ctx.exec_path == NULL);
	CHECK(strcmp(runo_fail_msg(), "exec: \"nope-runo\": executable file not found in $PATH") == 0);
	op.source = "/bin/sh";
	CHECK(run(op) == 0 && strcmp(ctx.exec_path, "/bin/sh") == 0);
	op.source = "./no-such-runo"; /* a path is checked too, as Go's LookPath */
	CHECK(run(op) == -ENOENT && ctx.exec_path == NULL);
	CHECK(strcmp(runo_fail_msg(), "exec: \"./no-such-runo\": stat ./no-such-runo: "
				      "No such file or directory") == 0);
	op.source = "/etc/passwd";
	CHECK(run(op) == -EACCES);
	op.source = "passwd", op.data = "/etc"; /* not executable */
	CHECK(run(op) == -ENOENT);
}

static void files(void)
{
	const char *dir = t_scratch("ops");
	char path[256], buf[16] = { 0 };
	struct runo_op op = mk(RUNO_OP_WRITE_FILE);
	int fd;

	/* Under the procfs handle: refused without one, then self/comm. */
	op.target = "self/comm", op.data = "runo-w";
	CHECK(run(op) == -EBADF && strstr(runo_fail_msg(), "no verified procfs handle") != NULL);
	runo_ctx_open_procfs(&ctx);
	CHECK(run(op) == 0);
	fd = open("/proc/self/comm", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == 7 && strcmp(buf, "runo-w\n") == 0);
	close(fd);
	op.target = "missing";
	CHECK(run(op) == -ENOENT && strstr(runo_fail_msg(), "\"/proc/missing\": No such file") != NULL);
	op.target = "self/root/etc/hostname"; /* a magic link is never followed */
	CHECK(run(op) == -ELOOP);
	op = mk(RUNO_OP_CHDIR), op.target = dir;
	CHECK(run(op) == -EBADF); /* no SET_ROOT */
	ctx.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(run(op) == 0 && getcwd(path, sizeof(path)) && strcmp(path, dir) == 0);
	/* CVE-2024-21626: a cwd of /proc/self/fd/N never reaches an fd of ours. */
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	op.target = path;
	CHECK(run(op) == -ELOOP);
	close(fd);
	close(ctx.rootfd);
	ctx.rootfd = -1;
}

static void process_state(void)
{
	struct rlimit rl;
	struct runo_op op = mk(RUNO_OP_UMASK);
	int fd = open("/dev/null", O_RDONLY);

	op.mode = 027;
	CHECK(run(op) == 0 && umask(022) == 027);
	getrlimit(RLIMIT_NOFILE, &rl);
	op = mk(RUNO_OP_SETRLIMIT), op.num = RLIMIT_NOFILE, op.value = 100, op.value2 = rl.rlim_max;
	CHECK(run(op) == 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 100);
	op = mk(RUNO_OP_CLOEXEC_FROM), op.num = (uint32_t)fd;
	CHECK(run(op) == 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC));
	CHECK(run(mk(RUNO_OP_NO_NEW_PRIVS)) == 0 && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
	op = mk(RUNO_OP_KEEPCAPS), op.num = 1;
	CHECK(run(op) == 0 && prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 1);
	op = mk(RUNO_OP_PERSONALITY), op.num = 0;
	CHECK(run(op) == 0);
}

static void seccomp(void)
{
	struct sock_filter allow[1] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct runo_op op = mk(RUNO_OP_SECCOMP);

	CHECK(run(mk(RUNO_OP_NO_NEW_PRIVS)) == 0);
	op.bytes = (const uint8_t *)allow, op.nbytes = 7;
	CHECK(run(op) == -EINVAL);
	op.nbytes = sizeof(allow);
	CHECK(run(op) == 0 && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2);
}

/* With NEW_LISTENER the listener fd goes to the parent beside procSeccomp
 * and the op returns once procSeccompDone (queued here first) arrives. */
static void seccomp_listener(void)
{
	struct sock_filter allow[1] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	static const char done[] = "{\"type\":\"procSeccompDone\"}";
	struct runo_op op = mk(RUNO_OP_SECCOMP);
	char buf[64], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cmsg;
	int sv[2], fd = -1;
	ssize_t n;

	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
	runo_sync_setup(sv[1]);
	CHECK(send(sv[0], done, sizeof(done) - 1, 0) == (ssize_t)sizeof(done) - 1);
	CHECK(run(mk(RUNO_OP_NO_NEW_PRIVS)) == 0);
	op.bytes = (const uint8_t *)allow, op.nbytes = sizeof(allow);
	op.flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	CHECK(run(op) == 0);
	n = recvmsg(sv[0], &msg, 0);
	CHECK(n > 0 && runo_sync_is_type(buf, (size_t)n, "procSeccomp"));
	cmsg = CMSG_FIRSTHDR(&msg);
	CHECK(cmsg != NULL && cmsg->cmsg_type == SCM_RIGHTS);
	if (cmsg != NULL)
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) >= 0);
}

/* I/O priority and a non-real-time policy need no privilege. */
static void sched_ops(void)
{
	uint32_t attr[12] = { 48, 3 /* SCHED_BATCH */, 0, 0, 5 /* nice */ };
	struct runo_op op = mk(RUNO_OP_IOPRIO_SET);

	op.num = (2 << 13) | 7; /* best effort, lowest */
	CHECK(run(op) == 0 && syscall(SYS_ioprio_get, 1, 0) == ((2 << 13) | 7));
	op = mk(RUNO_OP_SCHED_SETATTR);
	op.bytes = (const uint8_t *)attr, op.nbytes = sizeof(attr);
	CHECK(run(op) == 0 && sched_getscheduler(0) == 3 && getpriority(PRIO_PROCESS, 0) == 5);
	op.nbytes = 40;
	CHECK(run(op) == -EINVAL);
}

static void creds(void)
{
	struct runo_op op = mk(RUNO_OP_SETGROUPS);
	uint8_t ids[8] = { 1, 0, 0, 0, 2, 0, 0, 0 };
	uint64_t keep = 1ull << CAP_SETUID | 1ull << CAP_SETGID | 1ull << CAP_NET_BIND_SERVICE;
	gid_t groups[4];
	char name[16];

	op.ids = ids, op.nids = 2;
	CHECK(run(op) == 0 && getgroups(4, groups) == 2 && groups[1] == 2);
	op = mk(RUNO_OP_CAP_BOUNDING), op.bounding = keep, op.num = 64;
	CHECK(run(op) == -EINVAL); /* no such last capability */
	op.num = CAP_LAST_CAP;
	CHECK(run(op) == 0 && prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) == 0 &&
	      prctl(PR_CAPBSET_READ, CAP_SETUID, 0, 0, 0) == 1);
	op = mk(RUNO_OP_KEEPCAPS), op.num = 1;
	CHECK(run(op) == 0);
	op = mk(RUNO_OP_SETGID), op.gid = 65534;
	CHECK(run(op) == 0 && getgid() == 65534 && getegid() == 65534);
	op = mk(RUNO_OP_SETUID), op.uid = 65534;
	CHECK(run(op) == 0 && getuid() == 65534 && geteuid() == 65534);
	op = mk(RUNO_OP_CAPSET), op.effective = keep, op.permitted = keep, op.inheritable = keep;
	CHECK(run(op) == 0);
	op = mk(RUNO_OP_CAP_AMBIENT), op.ambient = 1ull << CAP_NET_BIND_SERVICE;
	CHECK(run(op) == 0 && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 0, 0) == 1);
	op.ambient = 1ull << CAP_SYS_ADMIN;
	CHECK(run(op) == -EPERM && strstr(runo_fail_msg(), "PR_CAP_AMBIENT_RAISE 21") != NULL);
	(void)name;
}

static void hostname(void)
{
	struct runo_op op = mk(RUNO_OP_SETHOSTNAME);
	char name[64] = { 0 };

	CHECK(unshare(CLONE_NEWUTS) == 0);
	op.data = "runo-test";
	CHECK(run(op) == 0 && gethostname(name, sizeof(name)) == 0 && strcmp(name, "runo-test") == 0);
	op = mk(RUNO_OP_SETDOMAINNAME), op.data = "example";
	CHECK(run(op) == 0);
}

static void fifo_wait(void)
{
	const char *dir = t_scratch("fifo");
	char path[256], c = 0;
	struct runo_op op = mk(RUNO_OP_FIFO_WAIT);
	pid_t pid;
	int fd, status;

	snprintf(path, sizeof(path), "%s/exec.fifo", dir);
	CHECK(mkfifo(path, 0600) == 0);
	runo_ctx_init(&ctx);
	runo_ctx_open_procfs(&ctx);
	CHECK(ctx.procfd >= 0);
	op.fd = open(path, O_PATH | O_CLOEXEC);
	if ((pid = fork()) == 0)
		_exit(run(op) == 0 && fcntl(op.fd, F_GETFD) < 0 ? 0 : 1);
	close(op.fd);
	fd = open(path, O_RDONLY);
	CHECK(read(fd, &c, 1) == 1 && c == '0');
	close(fd);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void exec_op(void)
{
	static const char *argv[] = { "sh", "-c", "exit $X", NULL }, *env[] = { "X=7", NULL };
	struct runo_op op = mk(RUNO_OP_EXEC);
	pid_t pid;
	int status;

	runo_ctx_init(&ctx);
	op.source = "/bin/sh", op.args = argv, op.nargs = 3, op.env = env, op.nenv = 1;
	if ((pid = fork()) == 0)
		_exit(run(op) == 0 ? 99 : 98);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7);
	op.source = "/nonexistent-runo";
	CHECK(run(op) == -ENOENT && strstr(runo_fail_msg(), "exec \"/nonexistent-runo\"") != NULL);
}

void test_ops(void)
{
	runo_ctx_init(&ctx);
	lookup_exec();
	t_in_child(files);
	t_in_child(process_state);
	t_in_child(seccomp);
	t_in_child(seccomp_listener);
	t_in_child(sched_ops);
	fifo_wait();
	exec_op();
	CHECK(run(mk(99)) == -EINVAL);
	if (!t_root()) {
		SKIP("credential and hostname ops need root");
		return;
	}
	t_in_child(creds);
	t_in_child(hostname);
}
