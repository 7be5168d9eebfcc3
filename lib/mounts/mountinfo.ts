// /proc/<pid>/mountinfo parsing (proc(5)), for the host facts the planner
// needs: cgroup hierarchies, the mount a rootfs lives on, the host's full
// procfs and sysfs mounts.
//
// Permissions: none.

export interface MountInfo {
  readonly mountPoint: string;
  readonly root: string;
  readonly fsType: string;
  readonly source: string;
  readonly superOptions: string;
}

/**
 * mountinfo escapes space, tab, newline and backslash as \ooo. Most fields
 * have none: the regex (compiled at its first use, ~0.3 ms cold, on every
 * create and exec) runs only for those that do.
 */
function unescape(s: string): string {
  if (!s.includes("\\")) return s;
  return s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountinfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const [left, right] = line.split(" - ");
    if (right === undefined) continue;
    const f = left.split(" ");
    const r = right.split(" ");
    out.push({
      root: unescape(f[3]),
      mountPoint: unescape(f[4]),
      fsType: r[0],
      source: unescape(r[1] ?? ""),
      superOptions: r[2] ?? "",
    });
  }
  return out;
}

/** The mount point of the deepest mount containing `path` (path is clean and absolute). */
export function mountPointOf(mounts: readonly MountInfo[], path: string): string | undefined {
  let best: string | undefined;
  for (const m of mounts) {
    const mp = m.mountPoint;
    const inside = mp === "/" || path === mp || path.startsWith(mp + "/");
    if (inside && (best === undefined || mp.length > best.length)) best = mp;
  }
  return best;
}

/**
 * Mount points of full procfs and sysfs mounts (root "/") that are not
 * under `rootfs`, in mountinfo order: what runc's msMoveRoot hides.
 */
export function fullPseudoMounts(mounts: readonly MountInfo[], rootfs: string): string[] {
  return mounts
    .filter((m) => (m.fsType === "proc" || m.fsType === "sysfs") && m.root === "/")
    .map((m) => m.mountPoint)
    .filter((mp) => mp !== rootfs && !mp.startsWith(rootfs + "/"));
}
