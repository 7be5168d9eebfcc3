// Debug-only fault injection for tests/faults/: with RUNO_FAULT=<point>
// in its environment, runo SIGKILLs itself on reaching that point, as an
// OOM kill or a crash of the engine would. The tests then check that
// `delete --force` (or the next create of the id) leaves nothing behind.
// Points, in the order create reaches them:
//   dir        state dir made, nothing spawned       (lib/container/create.ts)
//   bootstrap  stage 0 spawned and in its cgroups, bootstrap not sent
//   stages     stage 1 and stage 2 exist (procPids)  (lib/process/init_process.ts)
//   ready      rootfs prepared, procReady not answered
//   state      init waits on the exec fifo, state.json not written
//
// RUNO_INIT_STALL_MS shortens the bound on one wait of create on its init
// (INIT_STALL_MS), for the test that freezes an init during create.
//
// Permissions: --allow-env (without it, no fault is ever injected), --allow-ffi.

import { kill } from "../../ffi/syscalls.ts";

export type FaultPoint = "dir" | "bootstrap" | "stages" | "ready" | "state";

/** create's bound on one wait on its init: generous, since only a stall reaches it. */
export const INIT_STALL_MS = 60_000;

let wanted: string | undefined | null = null;

/** Kills this process with SIGKILL when RUNO_FAULT names `point`. */
export function faultPoint(point: FaultPoint): void {
  if (wanted === null) {
    try {
      wanted = Deno.env.get("RUNO_FAULT");
    } catch {
      wanted = undefined; // no --allow-env: a library caller, never a test
    }
  }
  if (wanted === point) kill(Deno.pid, 9);
}

/** INIT_STALL_MS, or RUNO_INIT_STALL_MS when a test sets it. */
export function initStallMs(): number {
  let ms: number | undefined;
  try {
    ms = Number(Deno.env.get("RUNO_INIT_STALL_MS") ?? "") || undefined;
  } catch { /* no --allow-env: a library caller, never a test */ }
  return ms && ms > 0 ? ms : INIT_STALL_MS;
}
