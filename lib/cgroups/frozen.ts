// Whether a container's recorded cgroup is frozen, read straight from the
// one file that says so: the managers' isFrozen() ask it here, and so do
// `state` and `list` of every container without loading a manager (that
// cost ~8 ms of module loading per command).
//
// Permissions: none for isFrozenIn and frozenCgroup; recordedIsFrozen
// needs --allow-ffi.

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

/**
 * The container's cgroup, or the nearest ancestor that exists, when it is
 * frozen (v1 freezer.state and v2 cgroup.events report an ancestor's
 * freeze too): an init moved in there stops at once and create would wait
 * on it for ever (runc refuses: "container's cgroup unexpectedly frozen").
 */
export function frozenCgroup(
  read: (path: string) => string | null,
  record: CgroupRecord,
): string | undefined {
  const v2 = record.version === 2;
  const key = v2 ? "" : Object.keys(record.paths).find((k) => k.split(",").includes("freezer"));
  const dir = key === undefined ? undefined : record.paths[key];
  for (let d = dir; d && d !== "/"; d = d.slice(0, d.lastIndexOf("/")) || "/") {
    const text = read(`${d}/${v2 ? "cgroup.events" : "freezer.state"}`);
    if (text === null) continue; // not made yet, or the hierarchy's root
    const frozen = v2 ? /^frozen 1$/m.test(text) : text.trim() !== "THAWED";
    return frozen ? d : undefined;
  }
  return undefined;
}

export function recordedIsFrozen(record: CgroupRecord): boolean {
  return isFrozenIn((p) => readKernelFileIfExists(p), record);
}
