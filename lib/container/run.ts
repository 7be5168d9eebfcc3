// run: create + start; in the foreground wait for the container's init,
// forward signals to it, delete the container and return its exit code
// (128+n when a signal killed it), as runc run does.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import { createContainer, type CreateOptions } from "./create.ts";
import { startContainer } from "./start.ts";
import { deleteContainer } from "./delete.ts";
import { startPtyProxy } from "../process/pty_proxy.ts";
import { exitCodeOf, kill, waitpidAsync } from "../../ffi/syscalls.ts";

export interface RunOptions extends CreateOptions {
  readonly detach?: boolean;
  /** Keep the stopped container's state (runc --keep). */
  readonly keep?: boolean;
}

const FORWARDED: readonly Deno.Signal[] = [
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGTERM",
  "SIGUSR1",
  "SIGUSR2",
  "SIGCONT",
  "SIGWINCH",
];
const SIGNUM: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
  SIGCONT: 18,
  SIGWINCH: 28,
};

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
    await startContainer(opts.root, opts.id);
    return 0;
  }
  const forward = FORWARDED.map((sig) => {
    const handler = () => kill(state.pid, SIGNUM[sig]);
    Deno.addSignalListener(sig, handler);
    return () => Deno.removeSignalListener(sig, handler);
  });
  const proxy = master === undefined ? undefined : startPtyProxy(master);
  try {
    await startContainer(opts.root, opts.id);
    const { status } = await waitpidAsync(state.pid);
    return exitCodeOf(status);
  } catch (err) {
    kill(state.pid, 9);
    throw err;
  } finally {
    for (const stop of forward) stop();
    await proxy?.finish(1000);
    if (!opts.keep) await deleteContainer(opts.root, opts.id, true);
  }
}
