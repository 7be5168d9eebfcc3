// Priming the kernel's cgroup migration lock before a process is moved
// into a container's cgroups (create's onSpawn, exec's joinCgroupsOf).
//
// Every write to a cgroup.procs takes the global cgroup_threadgroup_rwsem
// for writing, and the first writer after a quiet spell waits for an RCU
// grace period: 8-15 ms measured here, up to 30 ms for exec on a busy
// machine. A write of our own pid to our own cgroup.procs is a no-op move
// that takes the same lock; started on a thread of Deno's blocking pool
// 10-20 ms before the real moves, its wait overlaps our own work, and the
// real moves find the lock warm (it stays so for about one grace period
// after its last writer) and take ~0.1 ms each. A failed write only loses
// the gain. (A write of a pid that does not exist does not take the lock
// on 6.18: the task is looked up first.)
//
// Permissions: --allow-ffi.

import { readKernelFile, writeKernelFileAsync } from "../../ffi/kernfs.ts";

/**
 * Starts the no-op move. `ownProcs` turns /proc/self/cgroup, read now (so
 * that a process moved meanwhile is not moved back), into our own
 * cgroup.procs in one hierarchy. Dispose of the result (`await using`)
 * before the process may exit: Deno does not wait for a nonblocking FFI
 * call on Deno.exit or an uncaught error, and unloading the library under
 * the thread still in it crashed the process (SIGSEGV).
 */
export function primeCgroupMoves(
  ownProcs: (procCgroup: string) => string | undefined,
): AsyncDisposable {
  let file: string | undefined;
  try {
    file = ownProcs(readKernelFile("/proc/self/cgroup"));
  } catch {
    file = undefined;
  }
  const done = file === undefined
    ? Promise.resolve()
    : writeKernelFileAsync(file, String(Deno.pid)).catch(() => {});
  return { [Symbol.asyncDispose]: () => done };
}
