// run: create + start; in the foreground wait for the container's init,
// forward signals to it, delete the container and return its exit code
// (128+n when a signal killed it), as runc run does.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import { createContainer, type CreateOptions } from "./create.ts";
import { startContainer, startNotifying } from "./start.ts";
import { deleteContainer } from "./delete.ts";
import { waitInForeground } from "../process/foreground.ts";
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
  try {
    return await waitInForeground(state.pid, {
      master,
      signal: opts.signal,
      // NOTIFY_SOCKET: READY=1 is passed on while runo waits for the init;
      // the wait ends with the init at the latest.
      start: () => startNotifying(opts.root, opts.id),
    });
  } finally {
    if (!opts.keep) await deleteContainer(opts.root, opts.id, true);
    phase("delete");
  }
}
