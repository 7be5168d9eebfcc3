// Which cgroup layout the host has (v1, v2 or hybrid) and where a process's
// cgroup sits in each v1 hierarchy, from mountinfo and /proc/<pid>/cgroup.
//
// Permissions: none.

import type { MountInfo } from "../mounts/mountinfo.ts";
import type { CgroupFacts } from "../bootstrap/host_facts.ts";
import type { CgroupRecord } from "./manager.ts";
import { cgroupDir } from "./path.ts";

/**
 * Parses /proc/<pid>/cgroup: "id:controllers:path" → controllers → path.
 * By character tests, not a regex: this runs cold on every create and exec.
 */
export function parseProcCgroup(text: string): Map<string, string> {
  const byControllers = new Map<string, string>();
  for (const line of text.split("\n")) {
    const first = line.indexOf(":");
    const second = first < 0 ? -1 : line.indexOf(":", first + 1);
    if (first <= 0 || second < 0 || !isDigits(line, 0, first)) continue;
    byControllers.set(line.slice(first + 1, second), line.slice(second + 1));
  }
  return byControllers;
}

function isDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** v1 hierarchy controllers as /proc/<pid>/cgroup names them ("cpu,cpuacct", "name=systemd"). */
function hierarchyKey(superOptions: string): string {
  const known = superOptions.split(",").filter((o) =>
    o !== "rw" && o !== "ro" && !o.startsWith("release_agent") && o !== "clone_children" &&
    o !== "nsdelegate" && o !== "noprefix" && o !== "xattr" && o !== "cpuset_v2_mode"
  );
  return known.join(",");
}

/** The planner's view of cgroupLayout(): its mode and each v1 hierarchy's mountpoint and path. */
export function cgroupFacts(mounts: readonly MountInfo[], procCgroup: string): CgroupFacts {
  const layout = cgroupLayout(mounts, procCgroup);
  if (layout.mode === "unified") return { mode: "unified" };
  const v1 = layout.v1.map((h) => ({ mountpoint: h.mountpoint, path: h.ownPath }));
  return { mode: layout.mode, v1 };
}

/** One v1 hierarchy: where it is mounted and the process's cgroup in it. */
export interface V1Hierarchy {
  readonly mountpoint: string;
  /** Controllers bound to it, as /proc/<pid>/cgroup names them ("cpu", "name=systemd"). */
  readonly controllers: readonly string[];
  /** The process's cgroup in this hierarchy, e.g. "/user.slice". */
  readonly ownPath: string;
}

/** The host's cgroup layout as a cgroup manager needs it. */
export interface CgroupLayout {
  readonly mode: "legacy" | "hybrid" | "unified";
  readonly v1: readonly V1Hierarchy[];
  /** The cgroup2 mount and the process's cgroup in it, when mounted. */
  readonly unified?: { readonly mountpoint: string; readonly ownPath: string };
}

/** The layout from mountinfo and /proc/self/cgroup; one entry per hierarchy. */
export function cgroupLayout(mounts: readonly MountInfo[], procCgroup: string): CgroupLayout {
  const paths = parseProcCgroup(procCgroup);
  const v1: V1Hierarchy[] = [];
  let unified: CgroupLayout["unified"];
  for (const m of mounts) {
    if (m.fsType === "cgroup2" && !unified) {
      unified = { mountpoint: m.mountPoint, ownPath: paths.get("") ?? "/" };
    }
    if (m.fsType !== "cgroup") continue;
    const key = hierarchyKey(m.superOptions);
    const ownPath = paths.get(key);
    // The same hierarchy mounted twice (bind mounts) counts once.
    if (ownPath === undefined || v1.some((h) => h.controllers.join(",") === key)) continue;
    v1.push({ mountpoint: m.mountPoint, controllers: key.split(","), ownPath });
  }
  if (v1.length === 0) return { mode: "unified", v1, unified };
  return { mode: unified ? "hybrid" : "legacy", v1, unified };
}

/**
 * The record of a cgroup at `inner(ownPath)` in every hierarchy of the
 * layout (ownPath: this process's cgroup there), v2 on a unified host.
 */
export function layoutRecord(
  layout: CgroupLayout,
  inner: (ownPath: string) => string,
): CgroupRecord {
  const paths: Record<string, string> = {};
  for (const h of layout.v1) {
    paths[h.controllers.join(",")] = cgroupDir(h.mountpoint, inner(h.ownPath));
  }
  if (layout.unified) {
    paths[""] = cgroupDir(layout.unified.mountpoint, inner(layout.unified.ownPath));
  }
  return { version: layout.mode === "unified" ? 2 : 1, paths };
}

/**
 * A process's own cgroup.procs in the first hierarchy of the layout, from
 * its /proc/<pid>/cgroup text.
 */
export function ownProcsFile(layout: CgroupLayout, procCgroup: string): string | undefined {
  const paths = parseProcCgroup(procCgroup);
  const v1 = layout.v1[0];
  const mountpoint = v1 ? v1.mountpoint : layout.unified?.mountpoint;
  const own = paths.get(v1 ? v1.controllers.join(",") : "");
  if (mountpoint === undefined || own === undefined) return undefined;
  return `${mountpoint}${own === "/" ? "" : own}/cgroup.procs`;
}
