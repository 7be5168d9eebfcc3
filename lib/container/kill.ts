// kill: send a signal to the container's init (runc `kill`).
//
// Permissions: --allow-ffi, --allow-read.

import { readState } from "../state/store.ts";
import { StateError } from "../state/state.ts";
import { kill } from "../../ffi/syscalls.ts";
import { containerStatus } from "./status.ts";
import { signalAll, signalLeftovers, thawAfterKill } from "./cgroups.ts";

export interface KillOptions {
  readonly root: string;
  readonly id: string;
  readonly signal: number;
  /** Signal every process of the container, not only its init. */
  readonly all?: boolean;
}

export async function killContainer(opts: KillOptions): Promise<void> {
  const state = readState(opts.root, opts.id);
  const status = containerStatus(opts.root, state);
  if (status === "stopped") {
    // runc 1.1: --all of a stopped container signals whatever is left in
    // its cgroup (processes that outlived an init with no pid namespace)
    // and succeeds, even when nothing is; the init alone is gone for good.
    if (!opts.all) throw new StateError(opts.id, "container not running");
    if (state.cgroup) await signalLeftovers(state.cgroup, opts.signal);
    return;
  }
  if (opts.all && state.cgroup) {
    await signalAll(state.cgroup, opts.signal);
    return;
  }
  // Without a cgroup to enumerate, --all relies on the pid namespace: the
  // kernel kills every process in it when its init dies.
  if (!kill(state.pid, opts.signal)) throw new StateError(opts.id, "container not running");
  if (status === "paused" && state.cgroup) await thawAfterKill(state.cgroup, opts.signal);
}
