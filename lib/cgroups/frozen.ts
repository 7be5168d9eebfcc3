// Whether a container's recorded cgroup is frozen, read straight from the
// one file that says so. `state` and `list` ask it of every container, and
// loading a whole cgroup manager for it cost ~8 ms of module loading per
// command; the managers' isFrozen() read the same files.
//
// Permissions: --allow-ffi (cgroupfs reads).

import type { CgroupRecord } from "./manager.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";

export function recordedIsFrozen(record: CgroupRecord): boolean {
  if (record.version === 2) {
    const dir = record.paths[""];
    return dir !== undefined &&
      /^frozen 1$/m.test(readKernelFileIfExists(`${dir}/cgroup.events`) ?? "");
  }
  const key = Object.keys(record.paths).find((k) => k.split(",").includes("freezer"));
  if (key === undefined) return false;
  return readKernelFileIfExists(`${record.paths[key]}/freezer.state`)?.trim() === "FROZEN";
}
