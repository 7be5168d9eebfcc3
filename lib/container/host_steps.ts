// What create does from the host at procReady for the config sections
// that move or group the container's init, each loaded only when the
// config has it: linux.netDevices (lib/netdev/move.ts) and linux.intelRdt
// (lib/intelrdt/host.ts). Both refuse what cannot be done before anything
// is made.
//
// Permissions: --allow-ffi, --allow-read.

import { load } from "../lazy.ts";
import type { Spec } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";
import type { RdtRecord } from "../intelrdt/resctrl.ts";

export interface HostSteps {
  /** procReady, before the prestart hooks (runc's order). */
  onReady(initPid: number): void;
  /** What state.json records of them. */
  record(): { intelRdt?: RdtRecord };
  /** A failed create: undo what onReady made. */
  cleanup(): void;
}

export async function hostSteps(spec: Spec, id: string, rootless: boolean): Promise<HostSteps> {
  const moveDevices = await netDevicesFor(spec, rootless);
  const rdt = spec.linux?.intelRdt
    ? (await load<typeof import("../intelrdt/host.ts")>("lib/intelrdt/host.ts"))
      .containerRdt(spec, id)
    : undefined;
  return {
    onReady(pid) {
      moveDevices?.(pid);
      rdt?.onReady(pid);
    },
    record() {
      const intelRdt = rdt?.record();
      return intelRdt ? { intelRdt } : {};
    },
    cleanup: () => rdt?.cleanup(),
  };
}

/**
 * linux.netDevices: refused rootless, as runc; each device must exist on
 * the host. Returns the mover.
 */
async function netDevicesFor(
  spec: Spec,
  rootless: boolean,
): Promise<((initPid: number) => void) | undefined> {
  if (Object.keys(spec.linux?.netDevices ?? {}).length === 0) return undefined;
  if (rootless) {
    throw new ConfigError(
      "/linux/netDevices",
      "network devices are not supported for rootless containers",
    );
  }
  const { checkNetDevices, moveNetDevices } = await load<typeof import("../netdev/move.ts")>(
    "lib/netdev/move.ts",
  );
  checkNetDevices(spec);
  return (pid) => moveNetDevices(spec, pid);
}
