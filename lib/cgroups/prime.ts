// Keeping the kernel's cgroup migration lock warm before a process is
// moved into a container's cgroups (create's onSpawn, exec's joinContainerCgroups).
//
// Every write to a cgroup.procs takes the global cgroup_threadgroup_rwsem
// for writing, and the first writer after a quiet spell waits for an RCU
// grace period: 7-15 ms measured here, up to 30 ms for exec on a busy
// machine. The lock stays warm (~5 us a write) for about one grace period
// after its last writer. So a thread of ours (c/cgroup_warmer.c) writes our
// own pid to our own cgroup.procs, a move to where we are, from the start
// of the command and every 2 ms until the real moves are done: the first
// wait overlaps our own work, and the real moves find the lock warm. (One
// write 10-20 ms ahead, as before, was often cold again by then, or still
// waiting.) A loop that fails only loses the gain. (A write of a pid that
// does not exist does not take the lock on 6.18: the task is looked up
// first.)
//
// Permissions: --allow-ffi.

import { readKernelFile } from "../../ffi/kernfs.ts";
import { hostMounts } from "../mounts/host_mounts.ts";
import { cgroupLayout, ownProcsFile } from "./layout.ts";
import { nsexec } from "../../ffi/libnsexec.ts";
import { cstr } from "../../ffi/syscalls.ts";

const NOT_STARTED: Disposable = { [Symbol.dispose]: () => {} };

/**
 * Starts the loop. `ownProcs` turns /proc/self/cgroup, read now, into our
 * own cgroup.procs in one hierarchy (the loop stops if that file changes:
 * somebody moved us). Dispose of the result (`using`) once the moves are
 * done, and before the process may exit: the thread lives in libnsexec.so.
 */
export function primeCgroupMoves(
  ownProcs: (procCgroup: string) => string | undefined,
): Disposable {
  let file: string | undefined;
  try {
    file = ownProcs(readKernelFile("/proc/self/cgroup"));
  } catch {
    file = undefined;
  }
  if (file === undefined || nsexec().runo_cgroup_warm_start(cstr(file)) < 0) return NOT_STARTED;
  let stopped = false;
  return {
    [Symbol.dispose]: () => {
      if (stopped) return;
      stopped = true;
      nsexec().runo_cgroup_warm_stop();
    },
  };
}

/**
 * primeCgroupMoves on our own cgroup.procs in the host's first hierarchy:
 * what the bundle's entry starts for create, run and exec before it loads
 * their code (packaging/dispatch.ts), which they take over.
 */
export function warmOwnCgroupMoves(): Disposable {
  return primeCgroupMoves((own) => ownProcsFile(cgroupLayout(hostMounts(), own), own));
}
