// What the lifecycle operations ask of a created container's cgroups,
// through its recorded manager: every pid, signal all, remove (whether it
// is frozen: lib/cgroups/frozen.ts, without loading a manager).
//
// Permissions: --allow-ffi.

import type { CgroupRecord } from "../cgroups/manager.ts";
import { recordedCgroupManager } from "../cgroups/recorded.ts";
import { kill } from "../../ffi/syscalls.ts";

const SIGKILL = 9;

/**
 * runc's signalAllProcesses: freeze so nothing forks past the list, signal
 * every pid, thaw so the signals are delivered. Returns how many were signalled.
 */
export async function signalAll(record: CgroupRecord, signal: number): Promise<number> {
  const m = await recordedCgroupManager(record);
  const wasPaused = m.isFrozen();
  let frozen = wasPaused;
  if (!wasPaused) {
    try {
      await m.freeze();
      frozen = true;
    } catch {
      // no freezer: signal without it, as runc warns and goes on
    }
  }
  let n = 0;
  try {
    for (const pid of m.pids()) if (kill(pid, signal)) n++;
  } finally {
    // A paused container stays paused, unless it must die.
    if (frozen && (!wasPaused || signal === SIGKILL)) m.thaw();
  }
  return n;
}

/** signalAll() when the cgroup still holds a process; nothing otherwise. */
export async function signalLeftovers(record: CgroupRecord, signal: number): Promise<void> {
  if ((await recordedCgroupManager(record)).pids().length > 0) await signalAll(record, signal);
}

/** runc: SIGKILL to a paused container thaws it, or the kill never lands. */
export async function thawAfterKill(record: CgroupRecord, signal: number): Promise<void> {
  if (signal === SIGKILL) (await recordedCgroupManager(record)).thaw();
}

/**
 * Kills what is left in the cgroups (processes that outlived the init when
 * the container had no pid namespace), then removes them, waiting for the
 * processes to go.
 */
export async function destroyCgroups(record: CgroupRecord): Promise<void> {
  // Not ours: it held other processes before the container came.
  if (record.shared) return;
  const m = await recordedCgroupManager(record);
  if (m.pids().length > 0) await signalAll(record, 9);
  await m.destroy();
}
