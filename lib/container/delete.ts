// delete: remove a stopped container's state; --force kills a running one
// first. A created container is destroyed as runc does.
//
// Permissions: --allow-ffi, --allow-read, --allow-write.

import { containerDir, lockDir, readState, removeContainerDir } from "../state/store.ts";
import { checkId, StateError } from "../state/state.ts";
import { kill, waitpid, WNOHANG } from "../../ffi/syscalls.ts";
import { containerStatus, isInitAlive } from "./status.ts";
import type { ContainerState } from "../state/state.ts";

export async function deleteContainer(root: string, id: string, force = false): Promise<void> {
  let state: ContainerState;
  try {
    state = readState(root, id);
  } catch (err) {
    // runc: `delete --force` of a container that does not exist succeeds;
    // a directory left without state by a crashed create goes too.
    if (!force || !(err instanceof StateError)) throw err;
    checkId(id);
    removeContainerDir(root, id);
    return;
  }
  using _lock = lockDir(containerDir(root, id));
  const status = containerStatus(root, state);
  if (status === "running" || status === "paused") {
    if (!force) {
      throw new StateError(id, `cannot delete container ${id} that is not stopped: ${status}`);
    }
  }
  if (status !== "stopped") await killAndWait(state);
  removeContainerDir(root, id);
}

/** SIGKILL the init and wait until it is gone (reaped by us or its parent). */
async function killAndWait(state: ContainerState): Promise<void> {
  kill(state.pid, 9);
  for (let waited = 0; waited < 10_000; waited += 5) {
    try {
      waitpid(state.pid, WNOHANG); // reaps it when we are its parent (run)
    } catch {
      // ECHILD: another process is its parent
    }
    if (!isInitAlive(state)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new StateError(state.id, `container ${state.id} did not die after SIGKILL`);
}
