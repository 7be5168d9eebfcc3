// The contract between the TypeScript parent and the C init: the bootstrap
// message type, its attribute numbers, the plan's operations (code and the
// fields each takes, OPS; the bits of their opts are in mount_opt.ts,
// re-exported here) and the log levels. This file is the one source of
// truth: plan.ts derives PlanOp from OPS, encode.ts writes by it, and the
// block of c/ids.h the C decoder checks ops against is generated from it
// (`deno task gen-ids`; tests/unit/ids_drift_test.ts fails when stale).
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
  /**
   * i32 fd + u32 CLONE_NEW* flags: stage 1 joins those namespaces of the
   * process the pidfd fd refers to, in one setns(2), before any NS_PATH.
   */
  JOIN_PIDFD: 27292,
} as const;

/** Fields of one plan operation (attributes inside an OP attribute). */
export const Field = {
  /** u32: the operation code, one of Op. Always first. */
  CODE: 1,
  SOURCE: 2,
  TARGET: 3,
  FSTYPE: 4,
  DATA: 5,
  FLAGS: 6,
  MODE: 7,
  DEV: 8,
  UID: 9,
  GID: 10,
  FD: 11,
  ARG: 12,
  ENV: 13,
  IDS: 14,
  NUM: 15,
  VALUE: 16,
  VALUE2: 17,
  BYTES: 18,
  OPTS: 19,
  EFFECTIVE: 20,
  PERMITTED: 21,
  INHERITABLE: 22,
  AMBIENT: 23,
  BOUNDING: 24,
  SLOT: 25,
  UNDER: 26,
  SUBPATH: 27,
} as const;

/**
 * Wire types: str a NUL-terminated string; u32, i32; u64 (a JS number, a
 * safe integer); big (a u64 as bigint); u32s one attribute holding a u32
 * array; bytes raw bytes; strs a string per attribute, repeated in order.
 */
export type Wire = "str" | "u32" | "i32" | "u64" | "big" | "u32s" | "bytes" | "strs";

/** Each field by its key in a PlanOp: its number and wire type. */
export const FIELDS = {
  source: { id: Field.SOURCE, wire: "str" },
  target: { id: Field.TARGET, wire: "str" },
  fstype: { id: Field.FSTYPE, wire: "str" },
  data: { id: Field.DATA, wire: "str" },
  flags: { id: Field.FLAGS, wire: "u64" },
  mode: { id: Field.MODE, wire: "u32" },
  dev: { id: Field.DEV, wire: "u64" },
  uid: { id: Field.UID, wire: "u32" },
  gid: { id: Field.GID, wire: "u32" },
  fd: { id: Field.FD, wire: "i32" },
  args: { id: Field.ARG, wire: "strs" },
  env: { id: Field.ENV, wire: "strs" },
  ids: { id: Field.IDS, wire: "u32s" },
  num: { id: Field.NUM, wire: "u32" },
  value: { id: Field.VALUE, wire: "big" },
  value2: { id: Field.VALUE2, wire: "big" },
  bytes: { id: Field.BYTES, wire: "bytes" },
  opts: { id: Field.OPTS, wire: "u32" },
  effective: { id: Field.EFFECTIVE, wire: "big" },
  permitted: { id: Field.PERMITTED, wire: "big" },
  inheritable: { id: Field.INHERITABLE, wire: "big" },
  ambient: { id: Field.AMBIENT, wire: "big" },
  bounding: { id: Field.BOUNDING, wire: "big" },
  slot: { id: Field.SLOT, wire: "u32" },
  under: { id: Field.UNDER, wire: "u32" },
  subpath: { id: Field.SUBPATH, wire: "str" },
} as const satisfies Record<string, { id: number; wire: Wire }>;

export type FieldKey = keyof typeof FIELDS;

/**
 * "req": the operation needs the field; "opt": it may be left out (C tests
 * RUNO_HAS). A "strs" field marked "req" must be given in TypeScript, but
 * an empty list sends no attribute, so C cannot require it.
 */
export type Need = "req" | "opt";

/** The fields of an op that may resolve its path inside a kept mount. */
const UNDER = { under: "opt", subpath: "opt" } as const;

/**
 * The plan's operations: code and fields of each, the one schema that
 * plan.ts (PlanOp, a union over this table), encode.ts and the C decoder
 * (c/ids.h, generated from it) follow. Paths marked "in root" are resolved
 * inside the root set by SET_ROOT with openat2(RESOLVE_IN_ROOT|
 * RESOLVE_NO_MAGICLINKS) and acted on through that fd (self/fd/N under the
 * init's verified procfs handle, or move_mount); an op that takes under
 * and subpath resolves subpath the same way inside the mount kept in slot
 * under instead (target then only names it), so a path swapped above that
 * mount (the rootfs's dev) is not followed. Other paths are used as given
 * (host paths before pivot_root, container paths after it).
 *
 * To add an operation: add an entry here (a free code in its range, each
 * field it reads), run `deno task gen-ids` (rewrites the mirror block of
 * c/ids.h), then write its C function and add it to op_table in
 * c/executor.c; the decoder already enforces its fields. A new field goes
 * into Field and FIELDS first (and struct runo_op and c/bootstrap.c).
 */
export const OPS = {
  /** mount(source, target, fstype, flags, data) on a plain path. */
  MOUNT: {
    code: 1,
    fields: { source: "opt", target: "req", fstype: "opt", flags: "req", data: "opt" },
  },
  /** open target (a host directory) as the root for "in root" paths. */
  SET_ROOT: { code: 2, fields: { target: "req" } },
  /**
   * mount source on target in root; opts (MountOpt) says what to create
   * first and how to check it (a new filesystem, not a bind, must be made
   * with MountOpt.FSMOUNT); num, when given, is the fstatfs magic
   * MountOpt.FSMOUNT checks the new filesystem against. slot: keep the
   * mount it made (or acted on) as mount slot slot, for a REMOUNT or
   * SETATTR_IN_ROOT later (after pivot_root) to act on (MAX_MOUNT_SLOTS).
   */
  MOUNT_IN_ROOT: {
    code: 3,
    fields: {
      source: "opt",
      target: "req",
      fstype: "opt",
      flags: "req",
      data: "opt",
      opts: "req",
      num: "opt",
      slot: "opt",
      ...UNDER,
    },
  },
  /** mknod target in root with mode and dev, then chown to uid/gid (each when given). */
  MKNOD_IN_ROOT: {
    code: 4,
    fields: { target: "req", mode: "req", dev: "req", uid: "opt", gid: "opt", ...UNDER },
  },
  /** symlink target in root pointing at source (MountOpt.REPLACE unlinks first). */
  SYMLINK_IN_ROOT: { code: 5, fields: { source: "req", target: "req", opts: "opt", ...UNDER } },
  /** mkdir -p target in root with mode (0755 when absent). */
  MKDIR_IN_ROOT: { code: 6, fields: { target: "req", mode: "opt" } },
  /** pivot_root into target (host path) and detach the old root. */
  PIVOT_ROOT: { code: 7, fields: { target: "req" } },
  /** --no-pivot: MS_MOVE target onto / and chroot into it. */
  MOVE_ROOT: { code: 8, fields: { target: "req" } },
  /** sethostname(data). */
  SETHOSTNAME: { code: 9, fields: { data: "req" } },
  /** setdomainname(data). */
  SETDOMAINNAME: { code: 10, fields: { data: "req" } },
  /**
   * write data to target, a path under the init's verified procfs handle
   * ("sys/net/ipv4/ip_forward", "self/attr/exec"), crossing no mount and
   * following no magic link: never the container's /proc.
   */
  WRITE_FILE: { code: 11, fields: { target: "req", data: "req" } },
  /** send procReady on the init pipe and wait for procRun. */
  SYNC_READY: { code: 12, fields: {} },
  /** setrlimit(num, {value soft, value2 hard}). */
  SETRLIMIT: { code: 13, fields: { num: "req", value: "req", value2: "req" } },
  /** setgroups(ids). */
  SETGROUPS: { code: 14, fields: { ids: "req" } },
  /** setresgid(gid). */
  SETGID: { code: 15, fields: { gid: "req" } },
  /** setresuid(uid). */
  SETUID: { code: 16, fields: { uid: "req" } },
  /** umask(mode). */
  UMASK: { code: 17, fields: { mode: "req" } },
  /** chdir to target in root, no magic link followed (CVE-2024-21626). */
  CHDIR: { code: 18, fields: { target: "req" } },
  /** mark every fd >= num close-on-exec. */
  CLOEXEC_FROM: { code: 19, fields: { num: "req" } },
  /** find source (argv[0]) in data (a $PATH value) and remember it for EXEC. */
  LOOKUP_EXEC: { code: 20, fields: { source: "req", data: "req" } },
  /** close the init pipe: tells the parent that setup is done. */
  CLOSE_INIT_PIPE: { code: 21, fields: {} },
  /** reopen fd (the exec fifo) for writing through the procfs handle, write one byte. */
  FIFO_WAIT: { code: 22, fields: { fd: "req" } },
  /** execve(the LOOKUP_EXEC result, else source; args; env). */
  EXEC: { code: 23, fields: { source: "opt", args: "req", env: "req" } },
  /**
   * remount target in root MS_REMOUNT|MS_BIND|flags with data, keeping
   * locked flags; with slot, the mount kept in that slot instead of the one
   * target resolves to (target then only names it in messages).
   */
  REMOUNT: { code: 24, fields: { target: "req", flags: "req", data: "opt", slot: "opt" } },
  /** prctl(PR_SET_NO_NEW_PRIVS, 1). */
  NO_NEW_PRIVS: { code: 25, fields: {} },
  /** load the BPF program bytes with seccomp(2), flags flags. */
  SECCOMP: { code: 26, fields: { bytes: "req", flags: "req" } },
  /** prctl(PR_SET_KEEPCAPS, num). */
  KEEPCAPS: { code: 27, fields: { num: "req" } },
  /**
   * drop every capability up to num, the host's cap_last_cap (read by runo,
   * never the container's), that the mask bounding lacks.
   */
  CAP_BOUNDING: { code: 28, fields: { bounding: "req", num: "req" } },
  /** capset(effective, permitted, inheritable), each a mask of capability numbers. */
  CAPSET: { code: 29, fields: { effective: "req", permitted: "req", inheritable: "req" } },
  /** raise exactly the ambient capabilities in mask ambient. */
  CAP_AMBIENT: { code: 30, fields: { ambient: "req" } },
  /**
   * mount over target in root, if it exists: one read-only tmpfs (made
   * once, cloned) on a directory, the container's /dev/null (checked to be
   * char 1:3) on anything else.
   */
  MASK_PATH: { code: 31, fields: { target: "req" } },
  /** rbind target in root onto itself, its top mount read-only, if it exists. */
  READONLY_PATH: { code: 32, fields: { target: "req" } },
  /** personality(num). */
  PERSONALITY: { code: 33, fields: { num: "req" } },
  /**
   * chdir(target), then chroot("."): the jail of a container without a
   * mount namespace (runc's chroot()), where pivot_root or MS_MOVE would
   * change the host's root. target is a host path; with fd (exec: the
   * init's root, opened by runo while its pidfd proved it the init's) the
   * directory fd is entered instead of the path, and closed.
   */
  CHROOT: { code: 34, fields: { target: "req", fd: "opt" } },
  /**
   * --no-pivot (runc's msMoveRoot): make the host mount target rslave, then
   * detach it, or cover it with a tmpfs where it cannot be unmounted (EINVAL,
   * EPERM in a user namespace); none of it when target is gone. For the
   * host's full procfs and sysfs, which would otherwise stay reachable
   * beside the chroot and let a process in a new user namespace mount a
   * fresh one.
   */
  HIDE_MOUNT: { code: 35, fields: { target: "req" } },
  /**
   * mount_setattr(target in root, AT_RECURSIVE) with attr_set value and
   * attr_clr value2 (MOUNT_ATTR_* masks): the recursive mount attributes
   * (rro, rnosuid, …) of the mount there and every mount under it;
   * opts MountOpt.ON_LAST_MOUNT: of the mount the previous one made;
   * slot: of the mount kept in that slot.
   */
  SETATTR_IN_ROOT: {
    code: 36,
    fields: { target: "req", value: "req", value2: "req", opts: "opt", slot: "opt" },
  },
  /** close every kept mount slot (their mounts are done with). */
  DROP_MOUNT_SLOTS: { code: 37, fields: {} },
  /** set the network link named target up (the lo of a new network namespace). */
  LINK_UP: { code: 38, fields: { target: "req" } },
  // 40–59: process security settings (issue #3).
  /** ioprio_set(IOPRIO_WHO_PROCESS, 0, num). */
  IOPRIO_SET: { code: 40, fields: { num: "req" } },
  /** sched_setattr(0, bytes (struct sched_attr), 0). */
  SCHED_SETATTR: { code: 41, fields: { bytes: "req" } },
  /**
   * set_mempolicy(num (mode | MPOL_F_* flags), bytes (the node mask, whole
   * 8-byte words; none: no nodes), its bits + 1).
   */
  SET_MEMPOLICY: { code: 42, fields: { num: "req", bytes: "opt" } },
  // 60–79: exec, terminals and stdio (issue #6).
  /**
   * Open a pty from source in root (the ptmx of the container's devpts,
   * checked to be one, reopened through the procfs handle), size it value rows
   * by value2 columns when both are given and non-zero, send the master with
   * its name over the console socket fd (SCM_RIGHTS, as runc) and close fd;
   * bind the slave onto target in root (or subpath under) when given
   * (/dev/console, never through a symlink); make the slave the
   * controlling terminal and fds 0–2.
   */
  CONSOLE: {
    code: 60,
    fields: { source: "req", target: "opt", fd: "req", value: "opt", value2: "opt", ...UNDER },
  },
  /**
   * runc's fixStdioPermissions: fchown fds 0–2 to uid (the process's user),
   * except one that is /dev/null or already owned by uid; EPERM and EROFS
   * leave it as it is, as runc does.
   */
  CHOWN_STDIO: { code: 61, fields: { uid: "req" } },
  // 80–89: hooks (issue #7).
  /**
   * Fork+exec hook source with argv args (none: {source}) and exactly the
   * environment env, the state JSON read from file fd (offset 0) on its
   * stdin; SIGKILL after value ms (0: no timeout). data names the phase.
   * num 1: a failure is also written over file fd (lib/hooks/lifecycle.ts).
   */
  RUN_HOOK: {
    code: 80,
    fields: {
      source: "req",
      data: "req",
      fd: "req",
      args: "req",
      env: "req",
      num: "req",
      value: "req",
    },
  },
  // 100–109: user namespaces and idmapped mounts (issue #4).
  /**
   * move_mount the detached mount tree fd (open_tree, idmapped by the
   * parent) onto target in root (or subpath under), created as a directory
   * or a file like the tree when missing; fd is closed. slot: as
   * MOUNT_IN_ROOT's.
   */
  ATTACH_TREE_IN_ROOT: { code: 100, fields: { target: "req", fd: "req", slot: "opt", ...UNDER } },
} as const satisfies Record<
  string,
  { code: number; fields: { readonly [K in FieldKey]?: Need } }
>;

export type OpName = keyof typeof OPS;

/** Operation codes by name. */
export const Op = Object.fromEntries(
  Object.entries(OPS).map(([name, { code }]) => [name, code]),
) as { readonly [N in OpName]: (typeof OPS)[N]["code"] };

/** Bits of the opts field of the "in root" operations (mount_opt.ts). */
export { MountOpt } from "./mount_opt.ts";

export const LogLevel = { error: 0, warn: 1, info: 2, debug: 3 } as const;

/**
 * Mount slots the init can keep (MOUNT_IN_ROOT's slot): each is an open fd
 * until DROP_MOUNT_SLOTS or the final execve.
 */
export const MAX_MOUNT_SLOTS = 256;

/** Largest bootstrap message the init accepts. */
export const MAX_BOOTSTRAP = 1 << 20;
