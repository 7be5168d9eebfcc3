// The kernel-backed cgroup manager of a container: from the host's layout
// at create, or from the record in state.json afterwards.
//
// Permissions: --allow-ffi (/proc, /sys), --allow-read.

import type { Spec } from "../spec/types.ts";
import { readKernelFile } from "../../ffi/kernfs.ts";
import { parseMountinfo } from "../mounts/mountinfo.ts";
import { cgroupLayout } from "./layout.ts";
import { kernelCgroupFs } from "./fs.ts";
import {
  type CgroupManager,
  type CgroupRecord,
  createCgroupManager,
  loadCgroupManager,
} from "./manager.ts";
import { checkCgroupDriver } from "./path.ts";
import { attachDeviceFilter } from "./v2/device_filter_attach.ts";

export interface HostManagerOptions {
  readonly spec: Spec;
  readonly id: string;
  /** The global --systemd-cgroup flag. */
  readonly systemdCgroup?: boolean;
}

export function hostCgroupManager(opts: HostManagerOptions): CgroupManager {
  let systemdRunning = false;
  try {
    systemdRunning = Deno.statSync("/run/systemd/system").isDirectory;
  } catch {
    // not booted with systemd
  }
  checkCgroupDriver(opts.systemdCgroup ?? false, systemdRunning);
  const layout = cgroupLayout(
    parseMountinfo(readKernelFile("/proc/self/mountinfo", 1 << 20)),
    readKernelFile("/proc/self/cgroup"),
  );
  return createCgroupManager({
    layout,
    cgroupsPath: opts.spec.linux?.cgroupsPath,
    id: opts.id,
    fs: kernelCgroupFs(),
    attachDevices: attachDeviceFilter,
  });
}

export function recordedCgroupManager(record: CgroupRecord): CgroupManager {
  return loadCgroupManager(record, kernelCgroupFs(), { attachDevices: attachDeviceFilter });
}
