// Reaping the processes runo is the parent of: stages 0 and 1 after their
// last message, and the init (stage 2, cloned with CLONE_PARENT) when
// create or exec fails after it was spawned.
//
// Permissions: --allow-ffi.

import { kill, waitpidIfChild } from "../../ffi/syscalls.ts";

/** Waits for `pid` to be gone; nothing when it is not our child (ECHILD) or was reaped already. */
export function reap(pid: number): void {
  try {
    waitpidIfChild(pid);
  } catch {
    // a reap in a clean-up never replaces the error being cleaned up after
  }
}

/** SIGKILL then reap: the process is gone when this returns. */
export function killAndReap(pid: number): void {
  kill(pid, 9);
  reap(pid);
}
