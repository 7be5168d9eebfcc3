// The OCI/fstab mount option table: config.json `mounts[].options` →
// mount(2) flags, flags to clear, propagation changes, fs data, recursive
// mount_setattr(2) attributes and idmap requests. Same table and same
// precedence as runc's specconv parseMountOptions: a later option wins over
// an earlier one for the same flag, propagation options are applied in
// order, and anything unknown is passed to the filesystem as data.
//
// Permissions: none.

import type { Mount } from "../lib/spec/types.ts";

/** mount(2) flags, from <linux/mount.h>. */
export const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  SYNCHRONOUS: 0x10,
  REMOUNT: 0x20,
  MANDLOCK: 0x40,
  DIRSYNC: 0x80,
  NOSYMFOLLOW: 0x100,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  BIND: 0x1000,
  MOVE: 0x2000,
  REC: 0x4000,
  SILENT: 0x8000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  I_VERSION: 0x800000,
  STRICTATIME: 0x1000000,
  LAZYTIME: 0x2000000,
} as const;

/** mount_setattr(2) attributes, from <linux/mount.h>. */
export const MOUNT_ATTR = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  ATIME_MASK: 0x70,
  RELATIME: 0x0,
  NOATIME: 0x10,
  STRICTATIME: 0x20,
  NODIRATIME: 0x80,
  NOSYMFOLLOW: 0x200000,
} as const;

/** What a mount's option list asks for. */
export interface MountOptions {
  /** Flags to set. */
  readonly flags: number;
  /** Flags the options explicitly clear ("rw", "suid", "dev", …). */
  readonly clearedFlags: number;
  /** Propagation changes (MS_SHARED, MS_PRIVATE|MS_REC, …), in option order. */
  readonly propagation: readonly number[];
  /** Unknown options joined by ",", for the filesystem. */
  readonly data: string;
  /** Recursive attributes ("rro", "rnosuid", …) for mount_setattr(2), if any. */
  readonly recAttr?: { readonly set: number; readonly clear: number };
  /** "idmap" or "ridmap", if given. */
  readonly idmap?: "idmap" | "ridmap";
  /** "tmpcopyup" was given (copy the directory's contents into a new tmpfs). */
  readonly tmpcopyup: boolean;
}

type FlagEntry = readonly [clear: boolean, flag: number];

// runc's mountFlags table. "acl" is deliberately absent: it cannot be mapped
// to MS_POSIXACL (runc issue 3738), so it reaches the filesystem as data.
const FLAG_OPTIONS: Readonly<Record<string, FlagEntry>> = {
  async: [true, MS.SYNCHRONOUS],
  atime: [true, MS.NOATIME],
  bind: [false, MS.BIND],
  dev: [true, MS.NODEV],
  diratime: [true, MS.NODIRATIME],
  dirsync: [false, MS.DIRSYNC],
  exec: [true, MS.NOEXEC],
  iversion: [false, MS.I_VERSION],
  lazytime: [false, MS.LAZYTIME],
  loud: [true, MS.SILENT],
  mand: [false, MS.MANDLOCK],
  noatime: [false, MS.NOATIME],
  nodev: [false, MS.NODEV],
  nodiratime: [false, MS.NODIRATIME],
  noexec: [false, MS.NOEXEC],
  noiversion: [true, MS.I_VERSION],
  nolazytime: [true, MS.LAZYTIME],
  nomand: [true, MS.MANDLOCK],
  norelatime: [true, MS.RELATIME],
  nostrictatime: [true, MS.STRICTATIME],
  nosuid: [false, MS.NOSUID],
  nosymfollow: [false, MS.NOSYMFOLLOW],
  rbind: [false, MS.BIND | MS.REC],
  relatime: [false, MS.RELATIME],
  remount: [false, MS.REMOUNT],
  ro: [false, MS.RDONLY],
  rw: [true, MS.RDONLY],
  silent: [false, MS.SILENT],
  strictatime: [false, MS.STRICTATIME],
  suid: [true, MS.NOSUID],
  sync: [false, MS.SYNCHRONOUS],
  symfollow: [true, MS.NOSYMFOLLOW],
};

/** Propagation options, as runc's mountPropagationMapping. */
export const PROPAGATION: Readonly<Record<string, number>> = {
  rprivate: MS.PRIVATE | MS.REC,
  private: MS.PRIVATE,
  rslave: MS.SLAVE | MS.REC,
  slave: MS.SLAVE,
  rshared: MS.SHARED | MS.REC,
  shared: MS.SHARED,
  runbindable: MS.UNBINDABLE | MS.REC,
  unbindable: MS.UNBINDABLE,
};

const REC_ATTR_OPTIONS: Readonly<Record<string, FlagEntry>> = {
  rro: [false, MOUNT_ATTR.RDONLY],
  rrw: [true, MOUNT_ATTR.RDONLY],
  rnosuid: [false, MOUNT_ATTR.NOSUID],
  rsuid: [true, MOUNT_ATTR.NOSUID],
  rnodev: [false, MOUNT_ATTR.NODEV],
  rdev: [true, MOUNT_ATTR.NODEV],
  rnoexec: [false, MOUNT_ATTR.NOEXEC],
  rexec: [true, MOUNT_ATTR.NOEXEC],
  rnodiratime: [false, MOUNT_ATTR.NODIRATIME],
  rdiratime: [true, MOUNT_ATTR.NODIRATIME],
  rrelatime: [false, MOUNT_ATTR.RELATIME],
  rnorelatime: [true, MOUNT_ATTR.RELATIME],
  rnoatime: [false, MOUNT_ATTR.NOATIME],
  ratime: [true, MOUNT_ATTR.NOATIME],
  rstrictatime: [false, MOUNT_ATTR.STRICTATIME],
  rnostrictatime: [true, MOUNT_ATTR.STRICTATIME],
  rnosymfollow: [false, MOUNT_ATTR.NOSYMFOLLOW],
  rsymfollow: [true, MOUNT_ATTR.NOSYMFOLLOW],
};

/**
 * Every option name the parser gives a meaning other than fs data: the one
 * list `runo features` derives its mountOptions from (runc's
 * KnownMountOptions), before the planner's own refusals.
 */
export const MOUNT_OPTION_NAMES: readonly string[] = [
  "defaults",
  ...Object.keys(FLAG_OPTIONS),
  ...Object.keys(PROPAGATION),
  ...Object.keys(REC_ATTR_OPTIONS),
  "tmpcopyup",
  "idmap",
  "ridmap",
];

/**
 * Parses a mount's option list the way runc's parseMountOptions does.
 * "defaults" is dropped (runc passes it on as fs data, which tmpfs and
 * friends then reject; mount(8) treats it as a no-op, and so do we).
 */
export function parseMountOptions(options: readonly string[] = []): MountOptions {
  let flags = 0, clearedFlags = 0, recSet = 0, recClear = 0;
  let idmap: "idmap" | "ridmap" | undefined;
  let tmpcopyup = false;
  const propagation: number[] = [];
  const data: string[] = [];
  for (const o of options) {
    const flag = Object.hasOwn(FLAG_OPTIONS, o) ? FLAG_OPTIONS[o] : undefined;
    const rec = Object.hasOwn(REC_ATTR_OPTIONS, o) ? REC_ATTR_OPTIONS[o] : undefined;
    if (o === "defaults") continue;
    if (flag) {
      const [clear, f] = flag;
      flags = clear ? flags & ~f : flags | f;
      clearedFlags = clear ? clearedFlags | f : clearedFlags & ~f;
    } else if (Object.hasOwn(PROPAGATION, o)) {
      propagation.push(PROPAGATION[o]);
    } else if (rec) {
      const [clear, f] = rec;
      recSet = clear ? recSet & ~f : recSet | f;
      recClear = clear ? recClear | f : recClear & ~f;
      // mount_setattr(2): an atime setting in attr_set also needs
      // MOUNT_ATTR__ATIME in attr_clr (runc does the same).
      if ((f & MOUNT_ATTR.ATIME_MASK) === f) recClear |= MOUNT_ATTR.ATIME_MASK;
    } else if (o === "tmpcopyup") {
      tmpcopyup = true;
    } else if (o === "idmap" || o === "ridmap") {
      idmap = o;
    } else {
      data.push(o);
    }
  }
  const recAttr = recSet !== 0 || recClear !== 0 ? { set: recSet, clear: recClear } : undefined;
  return {
    flags,
    clearedFlags,
    propagation,
    data: data.join(","),
    ...(recAttr ? { recAttr } : {}),
    ...(idmap ? { idmap } : {}),
    tmpcopyup,
  };
}

/** True if the options make a bind mount ("bind" or "rbind"). */
export function isBind(opts: MountOptions): boolean {
  return (opts.flags & MS.BIND) !== 0;
}

/**
 * A mount's options and effective type. As runc's specconv, any type given
 * for a bind mount is ignored ("bind"). A type of "bind" without a bind
 * option is read as a plain bind, as crun does (runc would hand "bind" to
 * mount(2) as a filesystem name and fail).
 */
export function parseMount(m: Mount): { opts: MountOptions; type: string } {
  const opts = parseMountOptions(m.options);
  if (isBind(opts)) return { opts, type: "bind" };
  if (m.type === "bind") return { opts: { ...opts, flags: opts.flags | MS.BIND }, type: "bind" };
  return { opts, type: m.type ?? "" };
}
