// The resctrl groups state.json records (intelRdt) come back for exec
// (the new process's pid goes into <group>/tasks), update (schemata),
// events and delete (rmdir). As with the cgroup record
// (lib/cgroups/record_check.ts), a tampered record must not aim those at
// files of another file system: every recorded group that exists must be
// on resctrl, its path absolute with no "." or ".." step.
//
// Permissions: --allow-ffi (statfs).

import type { RdtRecord } from "./resctrl.ts";
import { fsType } from "../../ffi/kernfs.ts";
import { checkRecordedDir } from "../cgroups/record_check.ts";

/** statfs(2) f_type of resctrl (linux/magic.h RDTGROUP_SUPER_MAGIC). */
export const RDTGROUP_SUPER_MAGIC = 0x7655821;

export class RdtRecordError extends Error {
  readonly path: string;
  constructor(path: string, why: string) {
    super(`refusing the recorded resctrl group "${path}": ${why}`);
    this.name = "RdtRecordError";
    this.path = path;
  }
}

/** Throws RdtRecordError unless the record's group (and monitoring group) pass. */
export function checkRdtRecord(
  record: RdtRecord,
  statfsType: (path: string) => number = fsType,
): void {
  const fs = { name: "resctrl", magics: [RDTGROUP_SUPER_MAGIC] };
  const fail = (p: string, why: string) => new RdtRecordError(p, why);
  checkRecordedDir(record.path, fs, statfsType, fail);
  if (record.monPath !== undefined) checkRecordedDir(record.monPath, fs, statfsType, fail);
}
