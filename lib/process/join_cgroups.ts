// exec joins the container's cgroups: the new process is written to the
// cgroup.procs of every hierarchy the container's init is in, read from
// /proc/<init>/cgroup, before it runs anything (runc's setnsProcess does
// the same with the container's cgroup manager). Its children (stages 1
// and 2, then the exec'd program) inherit the cgroups.
//
// Permissions: --allow-ffi (procfs, cgroupfs).

import { readKernelFile, writeKernelFile } from "../../ffi/kernfs.ts";
import type { MountInfo } from "../mounts/mountinfo.ts";
import { hostMounts } from "../mounts/host_mounts.ts";
import { primeCgroupMoves } from "../cgroups/prime.ts";
import { parseProcCgroup } from "../cgroups/layout.ts";
import { type SubCgroups, subPathFor } from "./sub_cgroups.ts";

/** Each cgroup directory of /proc/<pid>/cgroup text, found through mountinfo. */
export function cgroupDirs(procCgroup: string, mounts: readonly MountInfo[]): string[] {
  return [...new Set(cgroupEntries(procCgroup, mounts).map((e) => e.dir))];
}

/** cgroupDirs with the controllers of each hierarchy ([""] for cgroup2). */
function cgroupEntries(
  procCgroup: string,
  mounts: readonly MountInfo[],
): { dir: string; controllers: string[] }[] {
  const dirs: { dir: string; controllers: string[] }[] = [];
  for (const [controllers, path] of parseProcCgroup(procCgroup)) {
    if (!path.startsWith("/")) continue;
    const wanted = controllers.split(",");
    const mount = mounts.find((mi) =>
      controllers === ""
        ? mi.fsType === "cgroup2"
        : mi.fsType === "cgroup" && wanted.every((c) => mi.superOptions.split(",").includes(c))
    );
    if (!mount) continue;
    // A mount of a sub-tree (root != "/") holds paths below its root.
    const root = mount.root === "/" ? "" : mount.root;
    if (root && !path.startsWith(root)) continue;
    dirs.push({
      dir: `${mount.mountPoint}${path.slice(root.length)}`.replace(/\/$/, ""),
      controllers: wanted,
    });
  }
  return dirs;
}

/**
 * Primes the cgroup migration lock for joinCgroupsOf (lib/cgroups/prime.ts);
 * dispose of the result.
 */
export function primeJoin(mounts: readonly MountInfo[]): Disposable {
  return primeCgroupMoves((procCgroup) => {
    const own = cgroupDirs(procCgroup, mounts)[0];
    return own === undefined ? undefined : `${own}/cgroup.procs`;
  });
}

/**
 * Moves `pid` into the cgroups of `initCgroup` (the container's init's
 * /proc/<pid>/cgroup, read by the caller while it could trust that pid).
 * Cgroups it is already in are skipped: a rootless container without
 * cgroups of its own (lib/rootless) shares its caller's, whose cgroup.procs
 * that user may not write.
 */
export function joinCgroupsOf(
  initCgroup: string,
  pid: number,
  mounts: readonly MountInfo[] = hostMounts(),
  sub?: SubCgroups,
): void {
  const already = new Set(cgroupDirs(readKernelFile(`/proc/${pid}/cgroup`), mounts));
  const seen = new Set<string>();
  for (
    const { dir, controllers } of cgroupEntries(initCgroup, mounts)
  ) {
    const rel = subPathFor(sub, controllers);
    const target = rel ? `${dir}/${rel}` : dir;
    if (already.has(target) || seen.has(target)) continue;
    seen.add(target);
    try {
      writeKernelFile(`${target}/cgroup.procs`, String(pid));
    } catch (err) {
      if (!rel) throw err;
      throw new Error(`--cgroup: cannot join sub-cgroup ${target}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}
