// update: change a running container's cgroup limits (runc update). The
// new resources are the recorded ones overlaid with the request, written
// through the container's manager, then recorded in state.json. A request
// with `devices` (--resources only) replaces the device rules: v1 writes
// the difference to the devices controller, v2 swaps the BPF filter.
//
// Permissions: --allow-ffi, --allow-read, --allow-write.

import { containerDir, lockDir, readState, writeState } from "../state/store.ts";
import { StateError } from "../state/state.ts";
import type { Resources } from "../spec/types.ts";
import { RESOURCES } from "../spec/parse_resources.ts";
import { ConfigError } from "../spec/config_error.ts";
import { containerStatus } from "./status.ts";
import { recordedCgroupManager } from "../cgroups/host.ts";
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

/** Field-wise overlay, one level deep as runc's update merges each group. */
export function mergeResources(base: Resources, req: Resources): Resources {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(req)) {
    const old = out[k];
    const bothObjects = v && typeof v === "object" && !Array.isArray(v) && old &&
      typeof old === "object" && !Array.isArray(old);
    out[k] = bothObjects ? { ...old, ...v } : v;
  }
  return out as Resources;
}

export async function updateContainer(
  root: string,
  id: string,
  req: Resources,
): Promise<string[]> {
  const dir = containerDir(root, id);
  using _lock = lockDir(dir);
  const state = readState(root, id);
  const status = containerStatus(root, state);
  if (status === "stopped") throw new StateError(id, `container ${id} is not running`);
  if (!state.cgroup) throw new StateError(id, `container ${id} has no cgroup`);
  const merged = mergeResources(state.config.linux?.resources ?? {}, req);
  // Device rules are written only when the request has them (runc's
  // SkipDevices otherwise): the list replaces the container's, after the
  // always-allowed defaults (updateDeviceRules).
  const rules = req.devices ? updateDeviceRules(state.config, req.devices) : undefined;
  const m = recordedCgroupManager(state.cgroup);
  await m.updateUnit?.({ ...merged, devices: undefined });
  const warnings = m.set({ ...req, devices: undefined }, rules);
  writeState(dir, {
    ...state,
    config: { ...state.config, linux: { ...state.config.linux, resources: merged } },
  });
  return warnings;
}
