// start: release the init waiting on the exec fifo; it then runs the
// startContainer hooks and execs the container's program. The fifo is
// removed, which marks the container running; poststart hooks follow.
//
// Permissions: --allow-ffi, --allow-read, --allow-write.

import { containerDir, fifoPath, lockDir, readState } from "../state/store.ts";
import { type ContainerState, StateError } from "../state/state.ts";
import { awaitFifo } from "../../ffi/syscalls.ts";
import { containerStatus } from "./status.ts";
import { awaitStartHooks, prepareStartHooks, runPoststart } from "../hooks/lifecycle.ts";
import { deleteContainer } from "./delete.ts";

export async function startContainer(root: string, id: string): Promise<void> {
  const state = readState(root, id);
  const hookError = await release(root, state);
  if (hookError !== null) {
    // The spec: a failing startContainer hook fails start, and the
    // container is destroyed (delete also runs the poststop hooks).
    await deleteContainer(root, id, true);
    throw new StateError(id, `cannot start container ${id}: ${hookError}`);
  }
  await runPoststart(state);
}

/** Under the lock: the failure of a startContainer hook, or null. */
async function release(root: string, state: ContainerState): Promise<string | null> {
  const { id } = state;
  const dir = containerDir(root, id);
  using _lock = lockDir(dir);
  const status = containerStatus(root, state);
  if (status === "stopped") throw new StateError(id, "cannot start a container that has stopped");
  if (status !== "created") {
    throw new StateError(id, `cannot start an already ${status} container`);
  }
  prepareStartHooks(dir, state);
  // Opening the read end completes the init's blocked open(O_WRONLY); it
  // then writes one byte and goes on to execve.
  const released = awaitFifo(fifoPath(dir), state.pid);
  Deno.removeSync(fifoPath(dir));
  if (!released) {
    throw new StateError(id, "cannot start container: its init exited before exec (see --log)");
  }
  return await awaitStartHooks(dir, state);
}
