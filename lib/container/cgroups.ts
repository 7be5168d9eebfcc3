// What the lifecycle operations ask of a created container's cgroups,
// through its recorded manager: frozen?, every pid, signal all, remove.
//
// Permissions: --allow-ffi.

import type { CgroupRecord } from "../cgroups/manager.ts";
import { recordedCgroupManager } from "../cgroups/host.ts";
import { kill } from "../../ffi/syscalls.ts";

export function isFrozen(record: CgroupRecord): boolean {
  return recordedCgroupManager(record).isFrozen();
}

/**
 * runc's signalAllProcesses: freeze so nothing forks past the list, signal
 * every pid, thaw so the signals are delivered. Returns how many were signalled.
 */
export async function signalAll(record: CgroupRecord, signal: number): Promise<number> {
  const m = recordedCgroupManager(record);
  let frozen = false;
  try {
    await m.freeze();
    frozen = true;
  } catch {
    // no freezer: signal without it, as runc warns and goes on
  }
  let n = 0;
  try {
    for (const pid of m.pids()) if (kill(pid, signal)) n++;
  } finally {
    if (frozen) m.thaw();
  }
  return n;
}

/**
 * Kills what is left in the cgroups (processes that outlived the init when
 * the container had no pid namespace), then removes them, waiting for the
 * processes to go.
 */
export async function destroyCgroups(record: CgroupRecord): Promise<void> {
  const m = recordedCgroupManager(record);
  if (m.pids().length > 0) await signalAll(record, 9);
  await m.destroy();
}
