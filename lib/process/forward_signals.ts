// A foreground runo passes the signals it gets on to the process it waits
// for, as runc's signal handler does (SIGCHLD and SIGWINCH excepted: the
// first is runo's own business, the second the pty proxy's).
//
// Permissions: --allow-ffi (kill).

import { kill } from "../../ffi/syscalls.ts";
import { SIGNALS } from "./signals.ts";

export const FORWARDED: readonly Deno.Signal[] = [
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGTERM",
  "SIGUSR1",
  "SIGUSR2",
  "SIGCONT",
];

/** Forwards FORWARDED signals to `pid` until the returned function is called. */
export function forwardSignals(pid: number): () => void {
  const stops = FORWARDED.map((sig) => {
    const handler = () => {
      kill(pid, SIGNALS[sig]);
    };
    Deno.addSignalListener(sig, handler);
    return () => Deno.removeSignalListener(sig, handler);
  });
  return () => stops.forEach((stop) => stop());
}
