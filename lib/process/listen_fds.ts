// Socket activation passed through, as runc does: when runo itself was
// socket-activated (LISTEN_FDS set and LISTEN_PID naming runo), the
// listening fds 3 .. 3+LISTEN_FDS-1 go to the container ahead of the
// --preserve-fds ones, and its environment gets LISTEN_FDS=<n> and
// LISTEN_PID=1 (the process will be the container's pid 1).
//
// Permissions: none (the caller reads the environment).

import type { Spec } from "../spec/types.ts";

export interface InheritedFds {
  /** Parent fds that become the container's 3, 4, … in order. */
  readonly fds: readonly number[];
  /** Entries to add to process.env. */
  readonly env: readonly string[];
}

/**
 * The fds the container inherits: socket-activation fds, then the
 * `preserve` fds after stdio. `listenFds`/`listenPid` are runo's
 * LISTEN_FDS/LISTEN_PID, `pid` runo's own pid.
 */
export function inheritedFds(
  preserve: number,
  listenFds: string | undefined,
  listenPid: string | undefined,
  pid: number,
): InheritedFds {
  const preserved = Array.from({ length: preserve }, (_, i) => 3 + i);
  const n = Number(listenFds);
  // As sd_listen_fds(3) (and runc's activation.Files): only fds meant for us.
  if (!listenFds || !/^\d+$/.test(listenFds) || n === 0 || Number(listenPid) !== pid) {
    return { fds: preserved, env: [] };
  }
  return {
    fds: [...Array.from({ length: n }, (_, i) => 3 + i), ...preserved],
    env: [`LISTEN_FDS=${n}`, "LISTEN_PID=1"],
  };
}

/** The spec with `env` appended to process.env. */
export function withEnv(spec: Spec, env: readonly string[]): Spec {
  if (env.length === 0 || !spec.process) return spec;
  return { ...spec, process: { ...spec.process, env: [...(spec.process.env ?? []), ...env] } };
}
