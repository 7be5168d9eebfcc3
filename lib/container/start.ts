// start: release the init waiting on the exec fifo; it then runs the
// startContainer hooks and execs the container's program. The fifo is
// removed, which marks the container running; poststart hooks follow once
// the program runs.
// With NOTIFY_SOCKET (lib/notify), start then waits for the container's
// READY=1 and passes it on, as runc start does.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import { load } from "../lazy.ts";
import { containerDir, fifoPath, lockDir, readState } from "../state/store.ts";
import { type ContainerState, StateError } from "../state/state.ts";
import { awaitFifo, close, kill } from "../../ffi/syscalls.ts";
import { containerStatus } from "./status.ts";
import { awaitStartHooks, prepareStartHooks, runPoststart } from "../hooks/lifecycle.ts";
import { deleteContainer } from "./delete.ts";
import { phase } from "../log/trace.ts";

const SIGKILL = 9;

type Notify = typeof import("../notify/socket.ts");

export async function startContainer(root: string, id: string): Promise<void> {
  await (await startNotifying(root, id)).ready;
}

/**
 * Starts the container; `ready` settles once the container said READY=1
 * to NOTIFY_SOCKET (passed on to the host's) or its init exited, at once
 * when create had no NOTIFY_SOCKET. `run` waits for the init meanwhile.
 */
export async function startNotifying(
  root: string,
  id: string,
): Promise<{ ready: Promise<void> }> {
  const state = readState(root, id);
  phase("start: state read");
  const notify = await notifyFor(root, state);
  let fd = -1;
  try {
    const hookError = await release(root, state, () => fd = notify ? notify.bind() : -1);
    if (hookError !== null) {
      // The spec: a failing startContainer hook fails start, and the
      // container is destroyed (delete also runs the poststop hooks).
      await deleteContainer(root, id, true);
      throw new StateError(id, `cannot start container ${id}: ${hookError}`, "START_FAILED");
    }
    phase("start: fifo released + start hooks");
    await poststart(state);
    phase("start: poststart hooks");
  } catch (err) {
    if (fd >= 0) close(fd);
    throw err;
  }
  return { ready: notify && fd >= 0 ? notify.forward(fd) : Promise.resolve() };
}

/**
 * The poststart hooks, once the program runs. One failing fails start and
 * the container is killed, not deleted (runc's main branch: `delete`
 * stays the caller's; `run` deletes it).
 */
async function poststart(state: ContainerState): Promise<void> {
  try {
    await runPoststart(state);
  } catch (err) {
    kill(state.pid, SIGKILL);
    throw new StateError(state.id, `cannot start container ${state.id}: ${(err as Error).message}`);
  }
}

/**
 * As runc: the host socket is start's own NOTIFY_SOCKET, else the one
 * create had; nothing when create set up no notify directory.
 */
async function notifyFor(
  root: string,
  state: ContainerState,
): Promise<{ bind: () => number; forward: (fd: number) => Promise<void> } | undefined> {
  // As runc and crun, start's own NOTIFY_SOCKET: a start without one binds
  // nothing and does not wait (the socket create had is not reused).
  const host = Deno.env.get("NOTIFY_SOCKET");
  if (!state.notifySocket || !host) return undefined;
  const m = await load<Notify>("lib/notify/socket.ts");
  const dir = containerDir(root, state.id);
  if (!m.hasNotifyDir(dir)) return undefined;
  return {
    bind: () => m.bindNotifySocket(dir),
    forward: (fd) => m.forwardReady(fd, state.pid, host),
  };
}

/** Under the lock: the failure of a startContainer hook, or null. */
async function release(
  root: string,
  state: ContainerState,
  beforeRelease: () => void,
): Promise<string | null> {
  const { id } = state;
  const dir = containerDir(root, id);
  using _lock = lockDir(dir);
  const status = containerStatus(root, state);
  phase("start: lock + status");
  if (status === "stopped") throw new StateError(id, "cannot start a container that has stopped");
  if (status !== "created") {
    throw new StateError(id, `cannot start an already ${status} container`);
  }
  prepareStartHooks(dir, state);
  // The socket must be there before the container's program can send.
  beforeRelease();
  // Opening the read end completes the init's blocked open(O_WRONLY); it
  // then writes one byte and goes on to execve.
  const released = awaitFifo(fifoPath(dir), state.pid);
  Deno.removeSync(fifoPath(dir));
  if (!released) {
    throw new StateError(
      id,
      "cannot start container: its init exited before exec (see --log)",
      "START_FAILED",
    );
  }
  return await awaitStartHooks(dir, state);
}
