// start: release the init waiting on the exec fifo; it then execs the
// container's program. The fifo is removed, which marks the container
// running.
//
// Permissions: --allow-ffi, --allow-read, --allow-write.

import { containerDir, fifoPath, lockDir, readState } from "../state/store.ts";
import { StateError } from "../state/state.ts";
import { awaitFifo } from "../../ffi/syscalls.ts";
import { containerStatus } from "./status.ts";

export function startContainer(root: string, id: string): void {
  const dir = containerDir(root, id);
  const state = readState(root, id);
  using _lock = lockDir(dir);
  const status = containerStatus(root, state);
  if (status === "stopped") throw new StateError(id, "cannot start a container that has stopped");
  if (status !== "created") {
    throw new StateError(id, `cannot start an already ${status} container`);
  }
  // Opening the read end completes the init's blocked open(O_WRONLY); it
  // then writes one byte and goes on to execve.
  const released = awaitFifo(fifoPath(dir), state.pid);
  Deno.removeSync(fifoPath(dir));
  if (!released) {
    throw new StateError(id, "cannot start container: its init exited before exec (see --log)");
  }
}
