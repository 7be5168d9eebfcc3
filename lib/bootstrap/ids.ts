// The contract between the TypeScript parent and the C init: the bootstrap
// message type, its attribute numbers, the plan's operation codes and
// fields, and the log levels. This file is the one source of truth; c/ids.h
// mirrors it in one marked block and tests/unit/ids_drift_test.ts fails if
// the two differ.
//
// Wire format (netlink style, as runc's nsexec reads it): one nlmsghdr
// {u32 len, u16 type=INIT_MSG, u16 flags, u32 seq, u32 pid} followed by
// attributes {u16 len, u16 type, payload, pad to 4}. Integers are little
// endian; strings carry a trailing NUL. An OP attribute's payload is itself
// a list of FIELD attributes, one operation of the plan.
//
// Permissions: none.

/** nlmsghdr.nlmsg_type of the bootstrap message (runc uses the same value). */
export const INIT_MSG = 62000;

/** Top-level bootstrap attributes. */
export const Attr = {
  /** u32: CLONE_NEW* flags of namespaces to create. */
  CLONE_FLAGS: 27281,
  /** u32 CLONE_NEW* flag + NUL-terminated path; repeated, in join order. */
  NS_PATH: 27282,
  /** string: uid_map contents ("inner outer count\n" lines). */
  UID_MAP: 27283,
  /** string: gid_map contents. */
  GID_MAP: 27284,
  /** u8: write "deny" to /proc/<pid>/setgroups before gid_map. */
  SETGROUPS_DENY: 27285,
  /** string: value for /proc/self/oom_score_adj. */
  OOM_SCORE_ADJ: 27286,
  /** u32: LogLevel the init emits at and below. */
  LOG_LEVEL: 27287,
  /** nested FIELD attributes: one plan operation; repeated, in order. */
  OP: 27288,
  /** string: path of newuidmap, when the map must be written by it. */
  UIDMAP_PATH: 27289,
  /** string: path of newgidmap. */
  GIDMAP_PATH: 27290,
  /** string: /proc/self/timens_offsets contents ("monotonic 5 0\n"...). */
  TIMENS_OFFSETS: 27291,
} as const;

/** Fields of one plan operation (attributes inside an OP attribute). */
export const Field = {
  /** u32: the operation code, one of Op. Always first. */
  CODE: 1,
  SOURCE: 2, // string
  TARGET: 3, // string
  FSTYPE: 4, // string
  DATA: 5, // string
  FLAGS: 6, // u64
  MODE: 7, // u32
  DEV: 8, // u64 (makedev)
  UID: 9, // u32
  GID: 10, // u32
  FD: 11, // i32
  ARG: 12, // string, repeated: argv in order
  ENV: 13, // string, repeated: envp in order
  IDS: 14, // u32 array (e.g. supplementary groups)
  NUM: 15, // u32 (e.g. rlimit resource, first fd to close)
  VALUE: 16, // u64
  VALUE2: 17, // u64
  BYTES: 18, // raw bytes (e.g. BPF program)
  OPTS: 19, // u32: MountOpt bits
} as const;

/**
 * Plan operation codes. Paths marked "in root" are resolved inside the
 * root set by SET_ROOT with openat2(RESOLVE_IN_ROOT) and acted on through
 * /proc/self/fd/N; other paths are used as given (host paths before
 * pivot_root, container paths after it).
 */
export const Op = {
  /** mount(source, target, fstype, flags, data) on a plain path. */
  MOUNT: 1,
  /** open TARGET (a host directory) as the root for "in root" paths. */
  SET_ROOT: 2,
  /** mount SOURCE on TARGET in root; OPTS says what to create first. */
  MOUNT_IN_ROOT: 3,
  /** mknod TARGET in root with MODE and DEV, then chown to UID/GID. */
  MKNOD_IN_ROOT: 4,
  /** symlink TARGET in root pointing at SOURCE (MountOpt.REPLACE unlinks first). */
  SYMLINK_IN_ROOT: 5,
  /** mkdir -p TARGET in root with MODE. */
  MKDIR_IN_ROOT: 6,
  /** pivot_root into TARGET (host path) and detach the old root. */
  PIVOT_ROOT: 7,
  /** --no-pivot: MS_MOVE TARGET onto / and chroot into it. */
  MOVE_ROOT: 8,
  /** sethostname(DATA). */
  SETHOSTNAME: 9,
  /** setdomainname(DATA). */
  SETDOMAINNAME: 10,
  /** write DATA to the existing file TARGET (sysctl, /proc/self/attr...). */
  WRITE_FILE: 11,
  /** send procReady on the init pipe and wait for procRun. */
  SYNC_READY: 12,
  /** setrlimit(NUM, {VALUE soft, VALUE2 hard}). */
  SETRLIMIT: 13,
  /** setgroups(IDS). */
  SETGROUPS: 14,
  /** setresgid(GID). */
  SETGID: 15,
  /** setresuid(UID). */
  SETUID: 16,
  /** umask(MODE). */
  UMASK: 17,
  /** chdir(TARGET). */
  CHDIR: 18,
  /** mark every fd >= NUM close-on-exec. */
  CLOEXEC_FROM: 19,
  /** find SOURCE (argv[0]) in DATA (a $PATH value) and remember it for EXEC. */
  LOOKUP_EXEC: 20,
  /** close the init pipe: tells the parent that setup is done. */
  CLOSE_INIT_PIPE: 21,
  /** open /proc/self/fd/FD (the exec fifo) for writing and write one byte. */
  FIFO_WAIT: 22,
  /** execve(the LOOKUP_EXEC result or SOURCE, ARG..., ENV...). */
  EXEC: 23,
  /** mount(NULL, TARGET, NULL, MS_REMOUNT|MS_BIND|FLAGS) keeping locked flags. */
  REMOUNT: 24,
  /** prctl(PR_SET_NO_NEW_PRIVS, 1). */
  NO_NEW_PRIVS: 25,
  /** load the BPF program BYTES with seccomp(2), flags FLAGS. */
  SECCOMP: 26,
  /** prctl(PR_SET_KEEPCAPS, NUM). */
  KEEPCAPS: 27,
  /** drop every capability not in the bounding mask VALUE. */
  CAP_BOUNDING: 28,
  /** capset: effective FLAGS, permitted VALUE, inheritable VALUE2. */
  CAPSET: 29,
  /** raise exactly the ambient capabilities in mask VALUE. */
  CAP_AMBIENT: 30,
  /** mount a read-only tmpfs or /dev/null over TARGET if it exists. */
  MASK_PATH: 31,
  /** bind TARGET onto itself read-only if it exists. */
  READONLY_PATH: 32,
  /** personality(NUM). */
  PERSONALITY: 33,
  /**
   * chdir(TARGET), then chroot("."): the jail of a container without a
   * mount namespace (runc's chroot()), where pivot_root or MS_MOVE would
   * change the host's root. TARGET is a host path.
   */
  CHROOT: 34,
  // 40–59: process security settings (issue #3).
  /** ioprio_set(IOPRIO_WHO_PROCESS, 0, NUM). */
  IOPRIO_SET: 40,
  /** sched_setattr(0, BYTES (struct sched_attr), 0). */
  SCHED_SETATTR: 41,
  // 60–79: exec, terminals and stdio (issue #6).
  /**
   * Open a pty from SOURCE (the container's /dev/ptmx), size it VALUE rows
   * by VALUE2 columns when both are non-zero, send the master with its
   * name over the console socket FD (SCM_RIGHTS, as runc) and close FD;
   * bind the slave onto TARGET when given (/dev/console); make the slave
   * the controlling terminal and fds 0–2.
   */
  CONSOLE: 60,
  // 80–89: hooks (issue #7).
  /**
   * Fork+exec hook SOURCE with argv ARG (none: {SOURCE}) and exactly the
   * environment ENV, the state JSON read from file FD (offset 0) on its
   * stdin; SIGKILL after VALUE ms (0: no timeout). DATA names the phase.
   * NUM 1: a failure is also written over file FD (lib/hooks/lifecycle.ts).
   */
  RUN_HOOK: 80,
  // 100–109: user namespaces and idmapped mounts (issue #4).
  /**
   * move_mount the detached mount tree FD (open_tree, idmapped by the
   * parent) onto TARGET in root, created as a directory or a file like the
   * tree when missing; FD is closed.
   */
  ATTACH_TREE_IN_ROOT: 100,
} as const;

/** Bits of Field.OPTS for the "in root" operations. */
export const MountOpt = {
  /** create TARGET as a directory (mkdir -p) when missing. */
  MKDIR: 1 << 0,
  /** create TARGET as an empty file (parents as directories) when missing. */
  MKFILE: 1 << 1,
  /** create TARGET as a directory or a file, whichever SOURCE is. */
  LIKE_SOURCE: 1 << 2,
  /** OR the flags the kernel locked on TARGET into a remount. */
  KEEP_LOCKED: 1 << 3,
  /** unlink TARGET first if it exists. */
  REPLACE: 1 << 4,
  /** TARGET must already exist; skip the operation quietly if it does not. */
  IF_EXISTS: 1 << 5,
  /**
   * Refuse when TARGET, resolved in root, lies on a procfs: a symlink that
   * leads a mount into the container's /proc (runc's checkProcMount on the
   * resolved path; the literal path is checked by the planner).
   */
  NOT_ON_PROCFS: 1 << 6,
} as const;

export const LogLevel = { error: 0, warn: 1, info: 2, debug: 3 } as const;

/** Largest bootstrap message the init accepts. */
export const MAX_BOOTSTRAP = 1 << 20;

export type OpName = keyof typeof Op;
