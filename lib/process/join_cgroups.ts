// exec joins the container's cgroups before the new process runs anything:
// it is written to the cgroup.procs of every directory the container's
// state recorded, as runc's setnsProcess applies the container's cgroup
// manager, so an init that moved itself below (systemd does) does not take
// exec'd processes with it. Without a record (a rootless container without
// cgroups of its own) they are the init's, read from /proc/<init>/cgroup.
// Its children (stages 1 and 2, then the exec'd program) inherit them.
//
// Permissions: --allow-ffi (procfs, cgroupfs).

import { readKernelFile, writeKernelFile } from "../../ffi/kernfs.ts";
import type { MountInfo } from "../mounts/mountinfo.ts";
import { hostMounts } from "../mounts/host_mounts.ts";
import { primeCgroupMoves } from "../cgroups/prime.ts";
import { parseProcCgroup } from "../cgroups/layout.ts";
import { type SubCgroups, subPathFor } from "./sub_cgroups.ts";
import type { CgroupRecord } from "../cgroups/manager.ts";
import { checkCgroupRecord } from "../cgroups/record_check.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { EBUSY } from "../../ffi/errno.ts";

/** The kernel files joining reads and writes (a test passes fakes). */
export interface JoinIo {
  readonly read: (path: string) => string;
  readonly write: (path: string, data: string) => void;
  readonly checkRecord: (record: CgroupRecord) => void;
}

const KERNEL_IO: JoinIo = {
  read: readKernelFile,
  write: writeKernelFile,
  checkRecord: (record) => checkCgroupRecord(record),
};

interface CgroupEntry {
  readonly dir: string;
  /** The hierarchy's controllers ([""] for cgroup2). */
  readonly controllers: string[];
}

/** Each cgroup directory of /proc/<pid>/cgroup text, found through mountinfo. */
export function cgroupDirs(procCgroup: string, mounts: readonly MountInfo[]): string[] {
  return [...new Set(cgroupEntries(procCgroup, mounts).map((e) => e.dir))];
}

/** cgroupDirs with the controllers of each hierarchy ([""] for cgroup2). */
function cgroupEntries(procCgroup: string, mounts: readonly MountInfo[]): CgroupEntry[] {
  const dirs: CgroupEntry[] = [];
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
 * Primes the cgroup migration lock for joinContainerCgroups (lib/cgroups/prime.ts);
 * dispose of the result.
 */
export function primeJoin(mounts: readonly MountInfo[]): Disposable {
  return primeCgroupMoves((procCgroup) => {
    const own = cgroupDirs(procCgroup, mounts)[0];
    return own === undefined ? undefined : `${own}/cgroup.procs`;
  });
}

/**
 * Moves `pid` into the container's cgroups: `record`'s directories (checked
 * to be on a cgroup file system first: pid is written there), else those of
 * `initCgroup` (the init's /proc/<pid>/cgroup, read by the caller while it
 * could trust that pid). Cgroups it is already in are skipped: a rootless
 * container without cgroups of its own shares its caller's, whose
 * cgroup.procs that user may not write.
 */
export function joinContainerCgroups(
  record: CgroupRecord | undefined,
  initCgroup: string,
  pid: number,
  mounts: readonly MountInfo[] = hostMounts(),
  sub?: SubCgroups,
  io: JoinIo = KERNEL_IO,
): void {
  if (record) io.checkRecord(record);
  const initEntries = () => cgroupEntries(initCgroup, mounts);
  const entries = record ? recordedEntries(record) : initEntries();
  if (sub) checkControllers(sub, entries);
  const already = new Set(cgroupDirs(io.read(`/proc/${pid}/cgroup`), mounts));
  const seen = new Set<string>();
  for (const entry of entries) {
    const target = withSub(entry, sub);
    if (already.has(target) || seen.has(target)) continue;
    seen.add(target);
    try {
      joinDir(io, target, pid, sub, entry);
    } catch (err) {
      // cgroup2 refuses a process in a cgroup whose children hold domain
      // controllers (the init moved below and enabled them): runc then
      // joins the init's cgroup, and so does runo.
      const busy = err instanceof SyscallError && err.errno === EBUSY;
      const init = busy && entry.controllers[0] === "" && record
        ? initEntries().find((e) => e.controllers[0] === "")
        : undefined;
      if (!init) throw err;
      joinDir(io, withSub(init, sub), pid, sub, init);
    }
  }
}

/** Every controller --cgroup names has a hierarchy among the container's (runc's check, on v1). */
function checkControllers(sub: SubCgroups, entries: readonly CgroupEntry[]): void {
  for (const c of sub.keys()) {
    if (c === "" || entries.some((e) => e.controllers.includes(c))) continue;
    // runc on cgroup v2 ignores such a path and joins the container's own cgroup.
    const why = entries.every((e) => e.controllers[0] === "")
      ? "cgroup v2 has one hierarchy: give the path without a <controller>: prefix"
      : `the container's hierarchies are ${entries.map((e) => e.controllers.join(",")).join(", ")}`;
    throw new Error(`--cgroup: unknown controller ${c} (${why})`);
  }
}

/** The record's directories by hierarchy key ("cpu,cpuacct", "" for cgroup2). */
function recordedEntries(record: CgroupRecord): CgroupEntry[] {
  return Object.entries(record.paths).map(([key, dir]) => ({ dir, controllers: key.split(",") }));
}

function withSub(entry: CgroupEntry, sub: SubCgroups | undefined): string {
  const rel = subPathFor(sub, entry.controllers);
  return rel ? `${entry.dir}/${rel}` : entry.dir;
}

function joinDir(
  io: JoinIo,
  target: string,
  pid: number,
  sub: SubCgroups | undefined,
  entry: CgroupEntry,
): void {
  try {
    io.write(`${target}/cgroup.procs`, String(pid));
  } catch (err) {
    if (!subPathFor(sub, entry.controllers)) throw err;
    throw new Error(`--cgroup: cannot join sub-cgroup ${target}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
