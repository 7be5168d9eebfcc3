// The foreground wait of run and exec, as runc's: signals go on to the
// process (except SIGWINCH, the pty proxy's), a pty master runo holds is
// proxied to its own stdio, and the exit code is the process's (128+n when
// signal n killed it). A wait that fails kills the process.
//
// Permissions: --allow-ffi.

import { startPtyProxy } from "./pty_proxy.ts";
import { forwardSignals } from "./forward_signals.ts";
import { exitCodeOf, kill, waitpidAsync } from "../../ffi/syscalls.ts";
import { phase } from "../log/trace.ts";

export interface ForegroundOptions {
  /** The pty master to proxy, when runo holds it (a terminal, no console socket). */
  readonly master?: number;
  /**
   * Called once signals are forwarded, before the wait; its `ready` is
   * awaited after the process exits (run: start, then NOTIFY_SOCKET's
   * READY=1 passed on while waiting).
   */
  readonly start?: () => Promise<{ readonly ready: Promise<void> }>;
  /** Aborted: the process is killed, and the wait ends with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Waits for `pid` (our child) in the foreground; returns its exit code. */
export async function waitInForeground(pid: number, opts: ForegroundOptions = {}): Promise<number> {
  const stopForwarding = forwardSignals(pid);
  const killOnAbort = () => kill(pid, 9);
  opts.signal?.addEventListener("abort", killOnAbort);
  if (opts.signal?.aborted) killOnAbort();
  const proxy = opts.master === undefined ? undefined : startPtyProxy(opts.master);
  phase("pty proxy + signals");
  let pending: Promise<void> | undefined;
  try {
    pending = (await opts.start?.())?.ready;
    pending?.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    const { status } = await waitpidAsync(pid);
    phase("wait for the process");
    await pending;
    opts.signal?.throwIfAborted();
    return exitCodeOf(status);
  } catch (err) {
    kill(pid, 9);
    throw err;
  } finally {
    await pending?.catch(() => {});
    opts.signal?.removeEventListener("abort", killOnAbort);
    stopForwarding();
    await proxy?.finish(1000);
  }
}
