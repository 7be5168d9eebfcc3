// events: a container's statistics and OOM notifications in runc's JSON
// shape ({"type":"stats"|"oom","id":…,"data":…}), once or as a stream.
// The stream sleeps in poll(2) on three fds: the cgroup's OOM notification
// (lib/cgroups/oom_watch.ts), a pidfd of the init (the container stopped)
// and an eventfd the caller's abort signals; the timeout is the next stats.
//
// Permissions: --allow-ffi, --allow-read.

import { readState } from "../state/store.ts";
import type { ContainerState } from "../state/state.ts";
import { StateError } from "../state/state.ts";
import { containerStatus, isInitAlive } from "./status.ts";
import { recordedCgroupManager } from "../cgroups/recorded.ts";
import type { CgroupManager } from "../cgroups/manager.ts";
import { parseNetDev, type Stats } from "../cgroups/stats.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";
import { load } from "../lazy.ts";
import { watchOom } from "../cgroups/oom_watch.ts";
import { eventfd, pidfdOpenIfExists, pollReadable, signalEventfd } from "../../ffi/event_fds.ts";
import { close } from "../../ffi/syscalls.ts";

export interface ContainerEvent {
  readonly type: "stats" | "oom";
  readonly id: string;
  readonly data?: Stats;
}

async function running(
  root: string,
  id: string,
): Promise<{ state: ContainerState; manager: CgroupManager }> {
  const state = readState(root, id);
  if (containerStatus(root, state) === "stopped") {
    throw new StateError(id, `container ${id} is not running`);
  }
  if (!state.cgroup) throw new StateError(id, `container ${id} has no cgroup`);
  return { state, manager: await recordedCgroupManager(state.cgroup) };
}

/** The cgroup stats, with what runc adds beside them (intel_rdt, network_interfaces). */
async function containerStats(state: ContainerState, m: CgroupManager): Promise<Stats> {
  const s = m.stats();
  if (state.config.linux?.namespaces?.some((n) => n.type === "network")) {
    const dev = readKernelFileIfExists(`/proc/${state.pid}/net/dev`);
    s.network_interfaces = dev === null ? null : parseNetDev(dev);
  }
  if (state.intelRdt) {
    const { statsOfRdt } = await load<typeof import("../intelrdt/host.ts")>(
      "lib/intelrdt/host.ts",
    );
    s.intel_rdt = statsOfRdt(state.intelRdt);
  }
  return s;
}

export async function statsEvent(root: string, id: string): Promise<ContainerEvent> {
  const { state, manager } = await running(root, id);
  return { type: "stats", id, data: await containerStats(state, manager) };
}

/** A pidfd of the container's init, or -1 when it has exited already. */
function initPidfd(state: ContainerState): number {
  const fd = pidfdOpenIfExists(state.pid);
  if (fd < 0) return -1;
  // Checked after the open: the pidfd is then surely the init's, not a reused pid's.
  if (isInitAlive(state)) return fd;
  close(fd);
  return -1;
}

/** Emits stats every `intervalMs` and an oom event per OOM as it happens, until the container stops. */
export async function streamEvents(
  root: string,
  id: string,
  intervalMs: number,
  emit: (e: ContainerEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { state, manager: m } = await running(root, id);
  using oom = watchOom(m.oomNotifier?.(), () => m.oomKills());
  const exit = initPidfd(state);
  if (exit < 0) return;
  const cancel = eventfd();
  const abort = () => signalEventfd(cancel);
  signal?.addEventListener("abort", abort);
  try {
    let nextStats = performance.now();
    while (!signal?.aborted) {
      if (performance.now() >= nextStats) {
        emit({ type: "stats", id, data: await containerStats(state, m) });
        nextStats = Math.max(nextStats + intervalMs, performance.now());
      }
      const ready = await pollReadable([oom.fd, exit, cancel], nextStats - performance.now());
      if (ready & 1 || oom.fd < 0) {
        for (let n = oom.take(); n > 0; n--) emit({ type: "oom", id });
      }
      if (ready & 2) return; // the init exited: the container stopped
    }
  } finally {
    signal?.removeEventListener("abort", abort);
    close(cancel);
    close(exit);
  }
}
