// A container's live status: its recorded state checked against the
// process that now holds the pid.
//
// Permissions: --allow-ffi (/proc reads), --allow-read.

import { type ContainerState, deriveStatus, parseProcStat, type Status } from "../state/state.ts";
import { containerDir, fifoPath } from "../state/store.ts";
import { pathExists } from "../../ffi/syscalls.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";
import { recordedIsFrozen } from "../cgroups/frozen.ts";

export function procStat(pid: number) {
  const text = pid > 0 ? readKernelFileIfExists(`/proc/${pid}/stat`) : null;
  return text === null ? null : parseProcStat(text);
}

export function containerStatus(root: string, state: ContainerState): Status {
  return deriveStatus(state, {
    stat: procStat(state.pid),
    fifoExists: pathExists(fifoPath(containerDir(root, state.id))),
    frozen: state.cgroup ? recordedIsFrozen(state.cgroup) : false,
  });
}

/** True while `pid` is still the container's init (same start time, not a zombie). */
export function isInitAlive(state: ContainerState): boolean {
  const stat = procStat(state.pid);
  return stat !== null && stat.state !== "Z" && stat.startTime === state.initStartTime;
}
