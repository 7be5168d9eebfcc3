// A seccomp profile from before close_range, faccessat2, openat2, clone3 and
// pidfd_* (Docker's default allow-list of 2019, which older engines and the
// OCI validation suite still use) with defaultAction SCMP_ACT_ERRNO: the
// container must start and exec must work, with and without
// no_new_privs. Whatever the init does after loading the filter must be
// what such a profile allows (issue 16.1): runc 1.1.5 passes these too.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { SLEEPER, withSeccomp } from "../fixtures/container.ts";
import { requires, sandbox, uniqueId, waitStatus } from "../fixtures/runo.ts";
import type { Seccomp } from "../../lib/spec/types.ts";
import { buildSysno, sysnoResults } from "./helpers/sysno.ts";

const needs = requires("root", "busybox", "cli");

// Docker 19.03's unconditional allow-list (x86_64 names), plus clone and
// arch_prctl, which that profile allows with argument conditions.
const DOCKER_2019 = `accept accept4 access adjtimex alarm bind brk capget capset chdir chmod
chown clock_getres clock_gettime clock_nanosleep close connect copy_file_range creat dup dup2
dup3 epoll_create epoll_create1 epoll_ctl epoll_pwait epoll_wait eventfd eventfd2 execve
execveat exit exit_group faccessat fadvise64 fallocate fanotify_mark fchdir fchmod fchmodat
fchown fchownat fcntl fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat
fstatfs fsync ftruncate futex futimesat getcpu getcwd getdents getdents64 getegid geteuid
getgid getgroups getitimer getpeername getpgid getpgrp getpid getppid getpriority getrandom
getresgid getresuid getrlimit get_robust_list getrusage getsid getsockname getsockopt
get_thread_area gettid gettimeofday getuid getxattr inotify_add_watch inotify_init
inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents
ioprio_get ioprio_set io_setup io_submit ipc kill lchown lgetxattr link linkat listen
listxattr llistxattr lremovexattr lseek lsetxattr lstat madvise memfd_create mincore mkdir
mkdirat mknod mknodat mlock mlock2 mlockall mmap mprotect mq_getsetattr mq_notify mq_open
mq_timedreceive mq_timedsend mq_unlink mremap msgctl msgget msgrcv msgsnd msync munlock
munlockall munmap nanosleep newfstatat open openat pause pipe pipe2 poll ppoll prctl pread64
preadv preadv2 prlimit64 pselect6 pwrite64 pwritev pwritev2 read readahead readlink
readlinkat readv recvfrom recvmmsg recvmsg remap_file_pages removexattr rename renameat
renameat2 restart_syscall rmdir rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo
rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sched_getaffinity
sched_getattr sched_getparam sched_get_priority_max sched_get_priority_min
sched_getscheduler sched_rr_get_interval sched_setaffinity sched_setattr sched_setparam
sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop sendfile
sendmmsg sendmsg sendto setfsgid setfsuid setgid setgroups setitimer setpgid setpriority
setregid setresgid setresuid setreuid setrlimit set_robust_list setsid setsockopt
set_thread_area set_tid_address setuid setxattr shmat shmctl shmdt shmget shutdown
sigaltstack signalfd signalfd4 socket socketpair splice stat statfs statx symlink
symlinkat sync sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete
timer_getoverrun timer_gettime timer_settime timerfd_create timerfd_gettime
timerfd_settime times tkill truncate umask uname unlink unlinkat utime utimensat utimes
vfork vmsplice wait4 waitid write writev clone arch_prctl`.split(/\s+/);

const OLD_PROFILE: Seccomp = {
  defaultAction: "SCMP_ACT_ERRNO",
  architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  syscalls: [{ names: DOCKER_2019, action: "SCMP_ACT_ALLOW" }],
};

/** x86_64 numbers of the calls the profile predates. */
const NEWER = {
  pidfd_send_signal: "424",
  pidfd_open: "434",
  clone3: "435",
  close_range: "436",
  openat2: "437",
  faccessat2: "439",
};

function oldProfile(nnp: boolean): (c: Config) => void {
  return withSeccomp(OLD_PROFILE, (c) => void (c.process!.noNewPrivileges = nnp));
}

/**
 * The positive control: the filter answers each newer call itself, EPERM
 * (the default action) or ENOSYS (runc's stub for numbers above the
 * profile's last known syscall), where the kernel would have run it.
 */
function assertNewerRefused(stdout: string, what: string): void {
  const got = sysnoResults(stdout);
  for (const [name, nr] of Object.entries(NEWER)) {
    assert.ok(["1", "38"].includes(got[nr]), `${what}: ${name} (${nr}) got errno ${got[nr]}`);
  }
}

const PROBE = `/sysno ${Object.values(NEWER).join(" ")}; grep '^Seccomp:' /proc/self/status`;

for (const nnp of [false, true]) {
  Deno.test({
    name: `seccomp: a 2019 profile without close_range/faccessat2 runs a container (nnp ${nnp})`,
    ...needs,
    async fn() {
      await using sb = await sandbox();
      // "sh" is looked up in $PATH after the filter is loaded.
      await using bundle = await createBundle({
        args: ["sh", "-c", PROBE],
        config: oldProfile(nnp),
      });
      await buildSysno(bundle.dir, bundle.rootfs);
      const r = await sb.runo(["run", "-b", bundle.dir, sb.track(uniqueId())]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Seccomp:\s+2$/m);
      assertNewerRefused(r.stdout, "run");
    },
  });

  Deno.test({
    name: `seccomp: exec under a 2019 profile without close_range/faccessat2 (nnp ${nnp})`,
    ...needs,
    async fn() {
      await using sb = await sandbox();
      await using bundle = await createBundle({ args: SLEEPER, config: oldProfile(nnp) });
      await buildSysno(bundle.dir, bundle.rootfs);
      const id = sb.track(uniqueId());
      const d = await sb.runo(["run", "-d", "-b", bundle.dir, id]);
      assert.equal(d.code, 0, d.stderr);
      assert.equal(await waitStatus(sb, id, "running"), "running");
      const flags = nnp ? ["--no-new-privs"] : [];
      const e = await sb.runo(["exec", ...flags, id, "sh", "-c", PROBE]);
      assert.equal(e.code, 0, e.stderr);
      assert.match(e.stdout, /^Seccomp:\s+2$/m);
      assertNewerRefused(e.stdout, "exec");
    },
  });
}
