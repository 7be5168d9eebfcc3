// Loads a container's device rules into the kernel as a cgroup v2 device
// filter attached to its cgroup directory, in place of the filter attached
// there before (at update; at create there is none).
//
// Permissions: --allow-ffi.

import type { DeviceCgroupRule } from "../devices.ts";
import { deviceFilterProgram, encodeProgram } from "./device_filter.ts";
import { loadDeviceProgram, replaceDeviceProgram } from "../../../ffi/bpf.ts";
import { close } from "../../../ffi/syscalls.ts";

export function attachDeviceFilter(dir: string, rules: readonly DeviceCgroupRule[]): void {
  const fd = loadDeviceProgram(encodeProgram(deviceFilterProgram(rules)));
  try {
    replaceDeviceProgram(dir, fd);
  } finally {
    // The attachment holds its own reference to the program.
    close(fd);
  }
}
