// A pidfd that pins a running container's init for one command (exec). A
// pid alone names whoever holds the number now: between runo's status
// check and its uses (the namespaces, /proc/<pid>/cgroup, /proc/<pid>/root)
// the init may exit and its pid go to another process, the host's maybe.
// So the pidfd is opened first and the recorded start time checked after
// the open: from then on it is surely the init's. What runo reads under
// /proc/<pid> is trusted once exited() finds the init not exited since
// the check: until it exits (and is reaped) no other process can hold its
// pid. The namespaces are joined through the pidfd itself (nsexec.c
// join_pidfd), never by path.
//
// Permissions: --allow-ffi, --allow-read.

import { type ContainerState, StateError, type Status } from "../state/state.ts";
import { containerStatus } from "./status.ts";
import { pidfdExited, pidfdOpenIfExists } from "../../ffi/event_fds.ts";
import { close } from "../../ffi/syscalls.ts";

export class PinnedInit implements Disposable {
  readonly #state: ContainerState;
  readonly #action: string;
  #fd: number;

  constructor(state: ContainerState, fd: number, action: string) {
    this.#state = state;
    this.#fd = fd;
    this.#action = action;
  }

  /** The pidfd (close-on-exec), valid until dispose. */
  get fd(): number {
    return this.#fd;
  }

  /** True once the init has exited: anything read under /proc/<pid> since may be a stranger's. */
  exited(): boolean {
    return pidfdExited(this.#fd);
  }

  /** The init's exit in runo's words: `exec ID: the container's init (pid N) exited`. */
  exitedError(cause?: unknown): StateError {
    const { id, pid } = this.#state;
    const err = new StateError(
      id,
      `${this.#action} ${id}: the container's init (pid ${pid}) exited`,
    );
    if (cause !== undefined) err.cause = cause;
    return err;
  }

  [Symbol.dispose](): void {
    if (this.#fd >= 0) close(this.#fd);
    this.#fd = -1;
  }
}

/**
 * The container's status, and while it is not stopped a pin of its init.
 * `action` names the command in the error of an init that exits later.
 */
export function pinInit(
  root: string,
  state: ContainerState,
  action: string,
): { status: Status; init?: PinnedInit } {
  const fd = pidfdOpenIfExists(state.pid);
  if (fd < 0) return { status: "stopped" };
  // Checked after the open: a live status (the recorded start time, not a
  // zombie) means the pidfd is the init's, not a reused pid's.
  const status = containerStatus(root, state);
  if (status === "stopped") {
    close(fd);
    return { status };
  }
  return { status, init: new PinnedInit(state, fd, action) };
}
