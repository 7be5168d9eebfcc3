// Whether a container's recorded cgroup is frozen, read straight from the
// one file that says so: the managers' isFrozen() ask it here, and so do
// `state` and `list` of every container without loading a manager (that
// cost ~8 ms of module loading per command).
//
// Permissions: none for isFrozenIn; recordedIsFrozen needs --allow-ffi.

import type { CgroupRecord } from "./manager.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";

/** cgroup.events' "frozen 1" on v2, freezer.state FROZEN on v1, through `read`. */
export function isFrozenIn(read: (path: string) => string | null, record: CgroupRecord): boolean {
  if (record.version === 2) {
    const dir = record.paths[""];
    return dir !== undefined && /^frozen 1$/m.test(read(`${dir}/cgroup.events`) ?? "");
  }
  const key = Object.keys(record.paths).find((k) => k.split(",").includes("freezer"));
  if (key === undefined) return false;
  return read(`${record.paths[key]}/freezer.state`)?.trim() === "FROZEN";
}

export function recordedIsFrozen(record: CgroupRecord): boolean {
  return isFrozenIn((p) => readKernelFileIfExists(p), record);
}
