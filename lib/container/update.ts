// update: change a running container's cgroup limits (runc update). The
// new resources are the recorded ones overlaid with the request, written
// through the container's manager, then recorded in state.json. A request
// with `devices` (--resources only) replaces the device rules: v1 writes
// the difference to the devices controller, v2 swaps the BPF filter.
//
// Permissions: --allow-ffi, --allow-read, --allow-write.

import { containerDir, lockDir, readState, writeState } from "../state/store.ts";
import { StateError } from "../state/state.ts";
import type { IntelRdt, Resources } from "../spec/types.ts";
import { load } from "../lazy.ts";
import { RESOURCES } from "../spec/parse_resources.ts";
import { ConfigError } from "../spec/config_error.ts";
import { containerStatus } from "./status.ts";
import { recordedCgroupManager } from "../cgroups/recorded.ts";
import { updateDeviceRules } from "../cgroups/devices.ts";

/** Parses --resources JSON (an OCI linux.resources object) with JSON-pointer errors. */
export function parseResourcesJson(text: string, file: string): Resources {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot parse ${file}: ${(err as Error).message}`);
  }
  try {
    return RESOURCES(v, "") as Resources;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(err.pointer, err.reason, { file });
  }
}

type BlockIO = NonNullable<Resources["blockIO"]>;
const DEVICE_LISTS = [
  "weightDevice",
  "throttleReadBpsDevice",
  "throttleWriteBpsDevice",
  "throttleReadIOPSDevice",
  "throttleWriteIOPSDevice",
] as const;

/**
 * runc 1.4's upsert of per-device blkio entries: a device (major:minor)
 * already listed is updated (a weight entry field by field), a new one
 * appended; the others are kept.
 */
function upsertDevices<T extends { major: number; minor: number }>(
  base: readonly T[] | undefined,
  req: readonly T[],
): T[] {
  const out = [...(base ?? [])];
  for (const d of req) {
    const i = out.findLastIndex((o) => o.major === d.major && o.minor === d.minor);
    if (i < 0) out.push(d);
    else out[i] = { ...out[i], ...d };
  }
  return out;
}

function mergeBlockIO(base: BlockIO | undefined, req: BlockIO): BlockIO {
  const out: Record<string, unknown> = { ...base, ...req };
  for (const list of DEVICE_LISTS) {
    if (req[list]) {
      out[list] = upsertDevices<{ major: number; minor: number }>(base?.[list], req[list]);
    }
  }
  return out as BlockIO;
}

/** Field-wise overlay, one level deep as runc's update merges each group. */
export function mergeResources(base: Resources, req: Resources): Resources {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(req)) {
    const old = out[k];
    const bothObjects = v && typeof v === "object" && !Array.isArray(v) && old &&
      typeof old === "object" && !Array.isArray(old);
    out[k] = bothObjects ? { ...old, ...v } : v;
  }
  if (req.blockIO) out.blockIO = mergeBlockIO(base.blockIO, req.blockIO);
  return out as Resources;
}

/**
 * memory.checkBeforeUpdate (runtime spec): a new memory limit below what
 * the container uses now is refused instead of written (runc checks it
 * on cgroup v2; runo on both).
 */
export function memoryUpdateCheck(merged: Resources, req: Resources, usage: number): void {
  const limit = req.memory?.limit;
  if (!merged.memory?.checkBeforeUpdate || limit === undefined || limit <= 0) return;
  if (limit < usage) {
    throw new Error(
      `rejecting memory limit ${limit} below the current usage ${usage} (memory.checkBeforeUpdate)`,
    );
  }
}

/** runc's words when kernel memory limits come with an update. */
export const KERNEL_MEMORY_WARNING = "Kernel memory settings are ignored and will be removed";

/** runc 1.5: kernel memory limits in an update are dropped with one warning. */
export function withoutKernelMemory(req: Resources): { req: Resources; warning?: string } {
  const m = req.memory;
  if (m?.kernel === undefined && m?.kernelTCP === undefined) return { req };
  const { kernel: _k, kernelTCP: _t, ...memory } = m;
  return { req: { ...req, memory }, warning: KERNEL_MEMORY_WARNING };
}

export async function updateContainer(
  root: string,
  id: string,
  request: Resources,
  intelRdt?: Partial<IntelRdt>,
): Promise<string[]> {
  const { req, warning } = withoutKernelMemory(request);
  const dir = containerDir(root, id);
  using _lock = lockDir(dir);
  const state = readState(root, id);
  const status = containerStatus(root, state);
  if (status === "stopped") throw new StateError(id, `container ${id} is not running`);
  if (!state.cgroup) throw new StateError(id, `container ${id} has no cgroup`);
  let rdt: IntelRdt | undefined;
  if (intelRdt) {
    const { updateRdt } = await load<typeof import("../intelrdt/host.ts")>("lib/intelrdt/host.ts");
    rdt = updateRdt(state.intelRdt, state.config.linux?.intelRdt, intelRdt);
  }
  const merged = mergeResources(state.config.linux?.resources ?? {}, req);
  // Device rules are written only when the request has them (runc's
  // SkipDevices otherwise): the list replaces the container's, after the
  // always-allowed defaults (updateDeviceRules).
  const rules = req.devices ? updateDeviceRules(req.devices) : undefined;
  const m = await recordedCgroupManager(state.cgroup);
  if (merged.memory?.checkBeforeUpdate) {
    memoryUpdateCheck(merged, req, m.stats().memory.usage?.usage ?? 0);
  }
  await m.updateUnit?.({ ...merged, devices: undefined });
  const warnings = m.set({ ...req, devices: undefined }, rules);
  const linux = { ...state.config.linux, resources: merged, ...(rdt ? { intelRdt: rdt } : {}) };
  writeState(dir, { ...state, config: { ...state.config, linux } });
  return warning ? [warning, ...warnings] : warnings;
}
