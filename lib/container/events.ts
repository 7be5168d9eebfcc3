// events: a container's statistics and OOM notifications in runc's JSON
// shape ({"type":"stats"|"oom","id":…,"data":…}), once or as a stream.
// OOM kills are seen as a rising counter (memory.oom_control's oom_kill on
// v1, memory.events on v2), polled at a short tick.
//
// Permissions: --allow-ffi, --allow-read.

import { readState } from "../state/store.ts";
import { StateError } from "../state/state.ts";
import { containerStatus } from "./status.ts";
import { recordedCgroupManager } from "../cgroups/host.ts";
import type { CgroupManager } from "../cgroups/manager.ts";
import type { Stats } from "../cgroups/stats.ts";

export interface ContainerEvent {
  readonly type: "stats" | "oom";
  readonly id: string;
  readonly data?: Stats;
}

function managerOf(root: string, id: string): CgroupManager {
  const state = readState(root, id);
  if (containerStatus(root, state) === "stopped") {
    throw new StateError(id, `container ${id} is not running`);
  }
  if (!state.cgroup) throw new StateError(id, `container ${id} has no cgroup`);
  return recordedCgroupManager(state.cgroup);
}

export function statsEvent(root: string, id: string): ContainerEvent {
  return { type: "stats", id, data: managerOf(root, id).stats() };
}

/** Emits stats every `intervalMs` and an oom event per new OOM kill, until the container stops. */
export async function streamEvents(
  root: string,
  id: string,
  intervalMs: number,
  emit: (e: ContainerEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const m = managerOf(root, id);
  let ooms = m.oomKills();
  const tick = Math.min(intervalMs, 100);
  let sinceStats = intervalMs;
  while (!signal?.aborted) {
    const state = readState(root, id);
    if (containerStatus(root, state) === "stopped") return;
    const now = m.oomKills();
    for (; ooms < now; ooms++) emit({ type: "oom", id });
    if (sinceStats >= intervalMs) {
      emit({ type: "stats", id, data: m.stats() });
      sinceStats = 0;
    }
    await new Promise((r) => setTimeout(r, tick));
    sinceStats += tick;
  }
}
