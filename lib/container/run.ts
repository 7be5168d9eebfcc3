// run: create + start; in the foreground wait for the container's init,
// forward signals to it, delete the container and return its exit code
// (128+n when a signal killed it), as runc run does.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import { createContainer, type CreateOptions } from "./create.ts";
import { startContainer, startNotifying } from "./start.ts";
import { deleteContainer } from "./delete.ts";
import { startPtyProxy } from "../process/pty_proxy.ts";
import { forwardSignals } from "../process/forward_signals.ts";
import { exitCodeOf, kill, waitpidAsync } from "../../ffi/syscalls.ts";
import { phase } from "../log/trace.ts";

export interface RunOptions extends CreateOptions {
  readonly detach?: boolean;
  /** Keep the stopped container's state (runc --keep). */
  readonly keep?: boolean;
  /** Foreground: aborting kills the init; the run then rejects with the reason. */
  readonly signal?: AbortSignal;
}

/** Returns the exit code (0 once started when detached). */
export async function runContainer(opts: RunOptions): Promise<number> {
  // Foreground with a terminal and no console socket: runo proxies the pty.
  let master: number | undefined;
  const proxyTty = !opts.detach && opts.consoleSocket === undefined;
  const state = await createContainer({
    ...opts,
    onConsoleMaster: proxyTty ? (fd) => master = fd : undefined,
  });
  if (opts.detach) {
    try {
      await startContainer(opts.root, opts.id);
    } catch (err) {
      // As runc's run: a container that failed to start is not left behind.
      await deleteContainer(opts.root, opts.id, true).catch(() => {});
      throw err;
    }
    return 0;
  }
  // As runc: signals go on to the init, except SIGWINCH (the pty proxy's).
  const stopForwarding = forwardSignals(state.pid);
  const killOnAbort = () => kill(state.pid, 9);
  opts.signal?.addEventListener("abort", killOnAbort);
  if (opts.signal?.aborted) killOnAbort();
  const proxy = master === undefined ? undefined : startPtyProxy(master);
  phase("pty proxy + signals");
  // NOTIFY_SOCKET: READY=1 is passed on while runo waits for the init;
  // the wait ends with the init at the latest.
  let ready: Promise<void> | undefined;
  try {
    ({ ready } = await startNotifying(opts.root, opts.id));
    ready.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    const { status } = await waitpidAsync(state.pid);
    phase("wait for the process");
    await ready;
    opts.signal?.throwIfAborted();
    return exitCodeOf(status);
  } catch (err) {
    kill(state.pid, 9);
    throw err;
  } finally {
    await ready?.catch(() => {});
    opts.signal?.removeEventListener("abort", killOnAbort);
    stopForwarding();
    await proxy?.finish(1000);
    if (!opts.keep) await deleteContainer(opts.root, opts.id, true);
    phase("delete");
  }
}
