// The kernel-backed cgroup manager of a container: from the host's layout
// at create, or from the record in state.json afterwards.
//
// Permissions: --allow-ffi (/proc, /sys), --allow-read.

import type { Spec } from "../spec/types.ts";
import { readKernelFile } from "../../ffi/kernfs.ts";
import type { MountInfo } from "../mounts/mountinfo.ts";
import { hostMounts } from "../mounts/host_mounts.ts";
import { type CgroupLayout, cgroupLayout, layoutRecord } from "./layout.ts";
import { kernelCgroupFs } from "./fs.ts";
import type { CgroupManager } from "./manager.ts";
import { resolveCgroupPath } from "./path.ts";
import { cgroupManagerOf } from "./recorded.ts";
import { load } from "../lazy.ts";

export interface HostManagerOptions {
  readonly spec: Spec;
  readonly id: string;
  /** The global --systemd-cgroup flag. */
  readonly systemdCgroup?: boolean;
  /** Rootless: the systemd driver talks to the user's manager. */
  readonly rootless?: boolean;
}

/** The cgroup hierarchies of this host and this process's place in them. */
export function hostCgroupLayout(mounts: readonly MountInfo[] = hostMounts()): CgroupLayout {
  return cgroupLayout(mounts, readKernelFile("/proc/self/cgroup"));
}

/**
 * The cgroupfs driver, or with --systemd-cgroup the systemd driver (its
 * D-Bus client loaded only then). Only the manager the layout needs is
 * loaded (lib/cgroups/recorded.ts).
 */
export async function hostCgroupManager(
  opts: HostManagerOptions,
  layout: CgroupLayout = hostCgroupLayout(),
): Promise<CgroupManager> {
  if (opts.systemdCgroup) {
    const [{ systemdCgroupManager }, { attachDeviceFilter }] = await Promise.all([
      load<typeof import("./systemd/create.ts")>("lib/cgroups/systemd/create.ts"),
      load<typeof import("./v2/device_filter_attach.ts")>("lib/cgroups/v2/device_filter_attach.ts"),
    ]);
    return await systemdCgroupManager({
      spec: opts.spec,
      id: opts.id,
      rootless: opts.rootless ?? false,
      layout,
      fs: kernelCgroupFs(),
      attachDevices: attachDeviceFilter,
    });
  }
  // createCgroupManager's choice, loading only the manager it picks.
  const { cgroupsPath } = opts.spec.linux ?? {};
  const record = layoutRecord(layout, (own) => resolveCgroupPath(cgroupsPath, opts.id, own));
  return await cgroupManagerOf(record, layout);
}
