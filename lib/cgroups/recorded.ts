// The manager of a created container, from the record in its state.json:
// only the implementation the record names is loaded (v1 or v2, and the
// systemd driver when a unit is recorded), so that kill, delete, pause and
// the rest never evaluate the others (tests/cli/bundle_graph_test.ts).
//
// Permissions: --allow-ffi.

import { load } from "../lazy.ts";
import type { CgroupManager, CgroupRecord } from "./manager.ts";
import type { CgroupLayout } from "./layout.ts";
import { kernelCgroupFs } from "./fs.ts";
import { checkCgroupRecord } from "./record_check.ts";

/** The manager of a recorded container; its paths checked first (record_check.ts). */
export async function recordedCgroupManager(record: CgroupRecord): Promise<CgroupManager> {
  checkCgroupRecord(record);
  return await cgroupManagerOf(record);
}

/**
 * As manager.ts's loadCgroupManager, loading only the implementation the
 * record names; `layout` at create (v1: the cgroup2 tree of a hybrid host).
 */
export async function cgroupManagerOf(
  record: CgroupRecord,
  layout?: CgroupLayout,
): Promise<CgroupManager> {
  const { systemd, ...paths } = record;
  const fs = kernelCgroupFs();
  let manager: CgroupManager;
  if (paths.version === 2) {
    const [{ V2Manager }, { attachDeviceFilter }] = await Promise.all([
      load<typeof import("./v2/manager.ts")>("lib/cgroups/v2/manager.ts"),
      load<typeof import("./v2/device_filter_attach.ts")>("lib/cgroups/v2/device_filter_attach.ts"),
    ]);
    manager = new V2Manager(paths, fs, attachDeviceFilter);
  } else {
    const { V1Manager } = await load<typeof import("./v1/manager.ts")>("lib/cgroups/v1/manager.ts");
    manager = new V1Manager(paths, fs, layout);
  }
  if (!systemd) return manager;
  const { SystemdManager } = await load<typeof import("./systemd/manager.ts")>(
    "lib/cgroups/systemd/manager.ts",
  );
  return new SystemdManager(manager, systemd);
}
