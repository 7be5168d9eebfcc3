// A container's cgroup record comes back from state.json (or creating.json)
// for every later command: delete --force kills every pid a recorded
// directory's cgroup.procs lists, update and pause write into it. A
// tampered record must not aim those at a directory of fake files, so
// every recorded directory that exists must be on a cgroup file system
// (statfs: cgroup v1 or cgroup2), and its path absolute with no "." or
// ".." step. A directory that is gone is let through: nothing is read,
// written or killed through it. A systemd record's unit is stopped by
// delete: it must be the scope or slice those directories belong to.
//
// Permissions: --allow-ffi (statfs).

import type { CgroupRecord } from "./manager.ts";
import { fsType } from "../../ffi/kernfs.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { ENOENT } from "../../ffi/errno.ts";

/** statfs(2) f_type of cgroup v1 and cgroup2 (linux/magic.h). */
export const CGROUP_SUPER_MAGIC = 0x27e0eb;
export const CGROUP2_SUPER_MAGIC = 0x63677270;

export class CgroupRecordError extends Error {
  readonly path: string;
  constructor(path: string, why: string) {
    super(`refusing the recorded cgroup "${path}": ${why}`);
    this.name = "CgroupRecordError";
    this.path = path;
  }
}

/** Throws CgroupRecordError unless every recorded path passes (see above). */
export function checkCgroupRecord(
  record: CgroupRecord,
  statfsType: (path: string) => number = fsType,
): void {
  const fs = { name: "a cgroup file system", magics: [CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC] };
  for (const path of Object.values(record.paths ?? {})) {
    checkRecordedDir(path, fs, statfsType, (p, why) => new CgroupRecordError(p, why));
  }
  if (record.systemd) checkSystemdUnit(record);
}

/**
 * delete stops the unit a systemd record names: it must be a scope or a
 * slice (what the driver starts, never a service) and the unit whose
 * cgroup every recorded (checked) directory is, as systemd names them.
 */
function checkSystemdUnit(record: CgroupRecord): void {
  const unit = record.systemd?.unit;
  if (typeof unit !== "string" || !/^[^/]+\.(scope|slice)$/.test(unit)) {
    throw new CgroupRecordError(String(unit), "not a systemd scope or slice unit");
  }
  for (const path of Object.values(record.paths)) {
    if (path.slice(path.lastIndexOf("/") + 1) !== unit) {
      throw new CgroupRecordError(path, `not the cgroup of the recorded unit ${unit}`);
    }
  }
}

/**
 * One directory a record names: absolute, no "." or ".." step, and, when
 * it exists, on a file system `fs` names (statfs f_type one of its magics).
 */
export function checkRecordedDir(
  path: unknown,
  fs: { readonly name: string; readonly magics: readonly number[] },
  statfsType: (path: string) => number,
  fail: (path: string, why: string) => Error,
): void {
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw fail(String(path), "not an absolute path");
  }
  if (path.split("/").some((step) => step === "." || step === "..")) {
    throw fail(path, 'a "." or ".." step');
  }
  let type: number;
  try {
    type = statfsType(path);
  } catch (err) {
    if (err instanceof SyscallError && err.errno === ENOENT) return;
    throw err;
  }
  if (!fs.magics.includes(type)) {
    throw fail(path, `not on ${fs.name} (statfs f_type 0x${type.toString(16)})`);
  }
}
