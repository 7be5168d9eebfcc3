// A child subreaper for a long-lived process (the containerd shim): on
// every SIGCHLD, waitpid(-1, WNOHANG) until none is left reaps every
// child, including the orphans a container leaves that the kernel
// reparents to us, and hands each exit to whoever waits for that pid
// (waitFor, and waitpidAsync of ffi/syscalls.ts, which hooks use). An exit
// nobody asked for yet is kept (a process can exit before its starter
// registers it), up to KEEP. Signals coalesce, hence the loop; no thread
// sits in a blocking waitpid.
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
const WNOHANG = 1;

export class Reaper {
  readonly #exits = new Map<number, Exit>();
  readonly #waiters = new Map<number, ((e: Exit) => void)[]>();
  readonly #onSignal = () => this.reapAll();
  /** Called with every exit, claimed or not (orphans included). */
  onExit: (exit: Exit) => void = () => {};

  /** Becomes a subreaper and starts reaping; waitpidAsync goes through us. */
  start(): void {
    setChildSubreaper(true);
    setChildWaiter((pid) => this.waitFor(pid));
    Deno.addSignalListener("SIGCHLD", this.#onSignal);
    this.reapAll();
  }

  stop(): void {
    Deno.removeSignalListener("SIGCHLD", this.#onSignal);
    setChildWaiter(undefined);
  }

  /** Reaps every child that has exited (also a SIGCHLD that came before the listener). */
  reapAll(): void {
    const status = new Int32Array(1);
    for (;;) {
      const rc = Number(nsexec().runo_waitpid(-1, status, WNOHANG));
      if (rc === -EINTR) continue;
      if (rc <= 0) return; // 0: children, none exited; -ECHILD: no children
      this.#deliver({ pid: rc, status: status[0], at: Date.now() });
    }
  }

  /** Kept for callers that spawned a child: reaps what already exited. */
  kick(): void {
    this.reapAll();
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
    this.reapAll();
    return promise;
  }

  /** The exit of `pid` if it was reaped already (and not claimed), else undefined. */
  exited(pid: number): Exit | undefined {
    return this.#exits.get(pid);
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
