// Mount slots: the mounts whose later operations (after other mounts, or
// after pivot_root) act on an fd the init kept when it made them, instead
// of resolving their destination again (see init/mounts.ts). The slot
// numbers are decided here; the C init only keeps and uses them.
//
// The /dev mount's slot is also where everything made under /dev after it
// is resolved (underDevSlot): the device nodes, /dev/ptmx, the /dev
// symlinks, mounts under /dev (/dev/pts, /dev/shm, a device bound in a
// user namespace) and the /dev/console bind. Resolved by path from the
// root, as runc does, a rootfs whose dev another party swaps for a symlink
// or another directory (a rootfs shared with another container) would get
// them in a directory of the image the host sees, outside the tmpfs.
//
// Permissions: none.

import type { Mount, Spec } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { MAX_MOUNT_SLOTS, MountOpt } from "../lib/bootstrap/ids.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { MS, parseMount } from "./mount_options.ts";
import { cleanPath } from "./mount_paths.ts";

/** tmpfs and /dev are still written to until finalizeRootfs. */
export function writableUntilFinalize(type: string, dest: string): boolean {
  return type === "tmpfs" || dest === "/dev";
}

/** Whether path is strictly under /dev. */
function underDev(path: string): boolean {
  return cleanPath(path).startsWith("/dev/");
}

/**
 * Whether config mount i is a new filesystem on /dev (not a bind: a /dev
 * bound from the host keeps the by-path resolution, as runc) that
 * operations under /dev may follow: it is the last /dev mount (the devices,
 * symlinks and console come after every mount), or a mount under /dev
 * comes after it before the next /dev mount.
 */
function devMountNeedsSlot(mounts: readonly Mount[], i: number, type: string): boolean {
  const isDev = (m: Mount) => cleanPath(m.destination) === "/dev";
  if (!isDev(mounts[i]) || type === "bind") return false;
  const next = mounts.findIndex((m, j) => j > i && isDev(m));
  const between = mounts.slice(i + 1, next < 0 ? undefined : next);
  return next < 0 || between.some((m) => underDev(m.destination));
}

/**
 * The mounts whose later operations act on a kept mount slot, by config
 * index → slot, numbered densely in config order: a tmpfs or /dev mount
 * remounted read-only or given recursive attributes after pivot_root
 * (finalizeMountOps), a cgroup mount with recursive attributes, which act
 * on its first mount after the hierarchies made under it, and a /dev
 * mount whose slot the operations under /dev resolve in (underDevSlot).
 */
export function mountSlots(spec: Spec): ReadonlyMap<number, number> {
  const slots = new Map<number, number>();
  const mounts = spec.mounts ?? [];
  mounts.forEach((m, i) => {
    const { opts, type } = parseMount(m);
    const late = writableUntilFinalize(type, cleanPath(m.destination)) &&
      ((opts.flags & MS.RDONLY) !== 0 || opts.recAttr !== undefined);
    const cgroup = type === "cgroup" && opts.recAttr !== undefined;
    if (!late && !cgroup && !devMountNeedsSlot(mounts, i, type)) return;
    if (slots.size === MAX_MOUNT_SLOTS) {
      throw new ConfigError(
        `/mounts/${i}`,
        `Cannot keep more than ${MAX_MOUNT_SLOTS} read-only tmpfs, recursive-attribute or /dev mounts`,
      );
    }
    slots.set(i, slots.size);
  });
  return slots;
}

/** The slot of a mount on /dev when it makes a new filesystem and keeps one (else a bind). */
function devSlotOf(op: UnderOp): number | undefined {
  return op.op === "MOUNT_IN_ROOT" && (op.opts & MountOpt.FSMOUNT) !== 0 ? op.slot : undefined;
}

/** The operations that take under and subpath (ids.ts). */
type UnderOp = Extract<
  PlanOp,
  { op: "MOUNT_IN_ROOT" | "MKNOD_IN_ROOT" | "SYMLINK_IN_ROOT" | "ATTACH_TREE_IN_ROOT" | "CONSOLE" }
>;

/** Whether op resolves a target (not ON_LAST_MOUNT) and can take under. */
function resolvesTarget(op: PlanOp): op is UnderOp & { target: string } {
  switch (op.op) {
    case "MKNOD_IN_ROOT":
    case "SYMLINK_IN_ROOT":
    case "ATTACH_TREE_IN_ROOT":
      return true;
    case "MOUNT_IN_ROOT":
      return (op.opts & MountOpt.ON_LAST_MOUNT) === 0;
    case "CONSOLE":
      return op.target !== undefined;
    default:
      return false;
  }
}

/**
 * The plan with every operation under /dev that follows a /dev mount with
 * a slot (mountSlots) told to resolve its path inside that mount (under,
 * and subpath relative to it) instead of by path from the root: until the
 * next mount on /dev, a bind there included (which ends it), or
 * DROP_MOUNT_SLOTS. target still names the path in messages.
 */
export function underDevSlot(plan: readonly PlanOp[]): PlanOp[] {
  let slot: number | undefined;
  return plan.map((op) => {
    if (op.op === "DROP_MOUNT_SLOTS") slot = undefined;
    const mounts = op.op === "MOUNT_IN_ROOT" || op.op === "ATTACH_TREE_IN_ROOT";
    if (mounts && resolvesTarget(op) && cleanPath(op.target) === "/dev") {
      slot = devSlotOf(op);
      return op;
    }
    if (slot === undefined || !resolvesTarget(op) || !underDev(op.target)) return op;
    return { ...op, under: slot, subpath: cleanPath(op.target).slice("/dev/".length) };
  });
}
