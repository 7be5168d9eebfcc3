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
// Permissions: --allow-env (without it, no fault is ever injected), --allow-ffi.

import { kill } from "../../ffi/syscalls.ts";

export type FaultPoint = "dir" | "bootstrap" | "stages" | "ready" | "state";

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
