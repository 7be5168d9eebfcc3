// A child subreaper for a long-lived process (the containerd shim): one
// waitpid(-1) loop on a worker thread reaps every child, including the
// orphans a container leaves that the kernel reparents to us, and hands
// each exit to whoever waits for that pid (waitFor, and waitpidAsync of
// ffi/syscalls.ts, which hooks use). An exit nobody asked for yet is kept
// (a process can exit before its starter registers it), up to KEEP.
//
// Permissions: --allow-ffi.

import { EINTR } from "./errno.ts";
import { nsexec } from "./libnsexec.ts";
import { setChildWaiter, type WaitResult } from "./syscalls.ts";
import { setChildSubreaper } from "./process.ts";

export interface Exit extends WaitResult {
  /** When it was reaped (ms since the epoch). */
  readonly at: number;
}

const KEEP = 4096;
const ECHILD = 10;

export class Reaper {
  readonly #exits = new Map<number, Exit>();
  readonly #waiters = new Map<number, ((e: Exit) => void)[]>();
  #wake: (() => void) | undefined;
  #stopped = false;
  /** Called with every exit, claimed or not (orphans included). */
  onExit: (exit: Exit) => void = () => {};

  /** Becomes a subreaper and starts reaping; waitpidAsync goes through us. */
  start(): void {
    setChildSubreaper(true);
    setChildWaiter((pid) => this.waitFor(pid));
    this.#loop();
  }

  stop(): void {
    this.#stopped = true;
    setChildWaiter(undefined);
    this.kick();
  }

  /** A child may have been spawned: a loop idle for lack of children looks again. */
  kick(): void {
    this.#wake?.();
  }

  /** The exit of child `pid`, now or when it comes. */
  waitFor(pid: number): Promise<Exit> {
    const done = this.#exits.get(pid);
    if (done) {
      this.#exits.delete(pid);
      return Promise.resolve(done);
    }
    const promise = new Promise<Exit>((resolve) => {
      this.#waiters.set(pid, [...(this.#waiters.get(pid) ?? []), resolve]);
    });
    this.kick();
    return promise;
  }

  /** The exit of `pid` if it was reaped already (and not claimed), else undefined. */
  exited(pid: number): Exit | undefined {
    return this.#exits.get(pid);
  }

  async #loop(): Promise<void> {
    const status = new Int32Array(1);
    while (!this.#stopped) {
      const rc = Number(await nsexec().runo_waitpid_async(-1, status, 0));
      if (rc === -EINTR) continue;
      if (rc === -ECHILD) {
        // No child now: sleep until one may exist (kick), or 1 s at most.
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          setTimeout(resolve, 1000);
        });
        this.#wake = undefined;
        continue;
      }
      if (rc < 0) throw new Error(`waitpid(-1) failed: errno ${-rc}`);
      this.#deliver({ pid: rc, status: status[0], at: Date.now() });
    }
  }

  #deliver(exit: Exit): void {
    this.onExit(exit);
    const waiters = this.#waiters.get(exit.pid);
    if (waiters) {
      this.#waiters.delete(exit.pid);
      for (const w of waiters) w(exit);
      return;
    }
    this.#exits.set(exit.pid, exit);
    if (this.#exits.size > KEEP) this.#exits.delete(this.#exits.keys().next().value!);
  }
}
