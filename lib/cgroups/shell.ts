// The imperative steps both managers share: make a cgroup directory chain,
// move a process in, wait for a freeze, remove directories once empty.
//
// Permissions: as the CgroupFs given (kernel: --allow-ffi).

import { type CgroupFs, readRequired } from "./fs.ts";
import type { CgroupWrite } from "./write.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { EBUSY, EINVAL, ENOENT } from "../../ffi/errno.ts";

/** The cgroup asked for already has processes: it is someone else's (the systemd driver). */
export class CgroupInUseError extends Error {
  /** For a program to switch on: always CGROUP_IN_USE. */
  readonly code: string = "CGROUP_IN_USE";
  /** The cgroup `dir` holds `pids` already. */
  constructor(dir: string, pids: readonly number[]) {
    super(`Cannot use cgroup "${dir}": it already has processes (${pids.join(", ")})`);
    this.name = "CgroupInUseError";
  }
}
/**
 * mkdir -p `dir` below `mountpoint`. cpuset: a new v1 cpuset cgroup starts
 * with empty cpus and mems and refuses tasks, so each new level copies its
 * parent's (runc's cpusetEnsureParent).
 */
export function createLeaf(fs: CgroupFs, mountpoint: string, dir: string, cpuset: boolean): void {
  const rest = dir.slice(mountpoint.length).split("/").filter((p) => p !== "");
  let current = mountpoint;
  for (const part of rest) {
    const parent = current;
    current = `${current}/${part}`;
    fs.mkdir(current);
    if (cpuset) inheritCpuset(fs, parent, current);
  }
}

function inheritCpuset(fs: CgroupFs, parent: string, dir: string): void {
  for (const file of ["cpuset.cpus", "cpuset.mems"]) {
    if ((fs.read(`${dir}/${file}`) ?? "").trim() !== "") continue;
    fs.write(`${dir}/${file}`, readRequired(fs, `${parent}/${file}`).trim());
  }
}

/** The cgroup2 mount above `dir` (itself included): the shallowest ancestor with a cgroup.controllers file. */
export function cgroup2MountAbove(fs: CgroupFs, dir: string): string | undefined {
  const parts = dir.split("/").filter((p) => p !== "");
  for (let i = 1; i <= parts.length; i++) {
    const candidate = "/" + parts.slice(0, i).join("/");
    if (fs.read(`${candidate}/cgroup.controllers`) !== null) return candidate;
  }
  return undefined;
}

/**
 * A plan's writes to `dir`, in order; a write marked retryAfter that fails
 * with EINVAL is written again right after the write to that file.
 */
export function writeInOrder(fs: CgroupFs, dir: string, writes: readonly CgroupWrite[]): void {
  const deferred = new Map<string, CgroupWrite>();
  for (const wr of writes) {
    try {
      fs.write(`${dir}/${wr.file}`, wr.value);
    } catch (err) {
      const einval = err instanceof SyscallError && err.errno === EINVAL;
      if (!einval || wr.retryAfter === undefined) throw err;
      deferred.set(wr.retryAfter, wr);
      continue;
    }
    const again = deferred.get(wr.file);
    if (again) fs.write(`${dir}/${again.file}`, again.value);
    deferred.delete(wr.file);
  }
}

/** Writes `pid` to each directory's cgroup.procs. */
export function joinProcs(fs: CgroupFs, dirs: readonly string[], pid: number): void {
  for (const dir of dirs) fs.write(`${dir}/cgroup.procs`, String(pid));
}

/** Polls `done` up to ~2 s; on timeout undoes the freeze and throws. */
export async function waitFrozen(
  done: () => boolean,
  undo: () => void,
  dir: string,
): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (done()) return;
    await sleep(i < 20 ? 1 : 5);
  }
  undo();
  throw new Error(`Cannot freeze cgroup "${dir}": it did not reach FROZEN in 2 s`);
}

/**
 * rmdir each directory; while processes remain (EBUSY) wait for them to go,
 * up to 5 s, as runc's RemovePath retries. Missing directories are fine.
 * Child cgroups the container made go first (runc's RemovePath); they are
 * looked for only when rmdir says EBUSY, which it does for them too, so a
 * leaf costs one call.
 */
export async function destroyDirs(fs: CgroupFs, dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    for (let waited = 0;;) {
      try {
        fs.rmdir(dir);
        break;
      } catch (err) {
        const errno = err instanceof SyscallError ? err.errno : 0;
        if (errno === ENOENT) break;
        if (errno !== EBUSY || waited >= 5000) throw err;
        const children = fs.subdirs(dir);
        if (children.length > 0) await destroyDirs(fs, children.map((d) => `${dir}/${d}`));
        else await sleep(10);
        waited += 10;
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
