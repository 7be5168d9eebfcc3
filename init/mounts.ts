// config.json `mounts` → plan operations, following runc's mountToRootfs
// (rootfs_linux.go). Every target is a container path resolved by the C
// init inside the root set by SET_ROOT (openat2 RESOLVE_IN_ROOT), so a
// symlink in the rootfs cannot lead a mount out of it. Each operation's
// step is "mounts[i]" so a failure names the config mount.
//
// What runc does and runo plans, per mount type:
// - proc, sysfs: only on an ordinary directory (no symlink at the target or
//   on the way: runc's "must be mounted on ordinary directory"), made
//   detached and checked to be a procfs or sysfs before it is attached
//   (MountOpt.FSMOUNT), then propagation.
// - mqueue, devpts, tmpfs, cgroup2, any other filesystem: create the
//   directory, make the filesystem detached (MountOpt.FSMOUNT: fsopen,
//   fsconfig, fsmount; no magic to check), attach it, then apply each
//   propagation option.
// - tmpfs (and anything on /dev): mounted writable first, because /dev must
//   still be filled and tmpfs modes fixed; remounted read-only after
//   pivot_root by finalizeMountOps (runc's finalizeRootfs).
// - bind: create a file or directory like the source, bind (MS_REC for
//   rbind), apply propagation, then MS_BIND|MS_REMOUNT with the requested
//   flags, since a bind mount ignores them (KEEP_LOCKED: runc retries with
//   the flags the kernel locked on the source).
// - cgroup: see cgroupOps.
//
// - idmapped bind ("idmap", "ridmap", per-mount uidMappings), and any bind
//   in a user namespace: the parent builds a detached tree of the source in
//   the host's namespaces (init/idmapped_mounts.ts; the init's user
//   namespace may not reach the source) and the bind is replaced by
//   ATTACH_TREE_IN_ROOT of its fd (ctx.treeFds), then the same propagation
//   and remount.
//
// - recursive attributes (rro, rnosuid, …): mount_setattr(AT_RECURSIVE)
//   on the mount and all under it (SETATTR_IN_ROOT) once it is in place;
//   for tmpfs and /dev after finalizeRootfs, which still writes to them.
//   runc applies them to bind mounts only and ignores them elsewhere.
//
// Every mount is made from an fd (a bind's clone, FSMOUNT's new filesystem,
// a parent's tree), and the operations that follow on the same mount
// (propagation, the flags' remount, the recursive attributes) act through
// the fd the init kept (MountOpt.ON_LAST_MOUNT), never by resolving the
// destination again: a path component swapped in between (a volume shared
// with another container) cannot send them to another mount. The
// operations that come later, after other mounts or after pivot_root (the
// read-only remount of tmpfs and /dev, recursive attributes applied after
// it, a cgroup v1 tree's), act on a mount slot: mountSlots numbers the
// mounts that need one, the making operation keeps its mount there
// (`slot`), the later ones name it, and DROP_MOUNT_SLOTS closes them all
// once finalizeRootfs is done (the init closes any left before execve).
//
// "tmpcopyup" is ignored (the tmpfs is mounted empty).
//
// Permissions: none.

import type { Mount, Spec } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";
import { type MountOptions, MS, parseMount } from "./mount_options.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { baseName, checkProcMount, cleanPath, joinPath } from "./mount_paths.ts";
import { mountSlots, writableUntilFinalize } from "./mount_slots.ts";

export { checkProcMount, cleanPath, mountSlots, parseMount };
import { wantsIdmap } from "./idmapped_mounts.ts";
import type { CgroupFacts } from "../lib/bootstrap/host_facts.ts";

/** What mount planning needs besides the config. */
export interface MountContext {
  /** Absolute bundle directory: relative bind sources are resolved against it. */
  readonly bundle: string;
  readonly cgroup: CgroupFacts;
  /** A user namespace is created or joined. */
  readonly userns: boolean;
  /** A cgroup namespace is created or joined. */
  readonly cgroupns: boolean;
  /** Mount index → the init's fd of the tree the parent made for it (init/idmapped_mounts.ts). */
  readonly treeFds?: ReadonlyMap<number, number>;
}

// runc's defaultMountFlags.
const DEFAULT_FLAGS = MS.NOEXEC | MS.NOSUID | MS.NODEV;

/** The propagation operations for a mount (runc's mountPropagate). */
function propagationOps(
  step: string,
  target: string,
  opts: MountOptions,
  onLastMount = 0,
): PlanOp[] {
  return opts.propagation.map((flags) => ({
    op: "MOUNT_IN_ROOT",
    step,
    target,
    flags,
    opts: onLastMount,
  }));
}

/**
 * A bind mount: bind, propagation, then a remount that applies the
 * requested flags if there are any (set or cleared), as runc does.
 */
function bindOps(
  step: string,
  source: string,
  target: string,
  opts: MountOptions,
  create: number,
): PlanOp[] {
  const ops: PlanOp[] = [{
    op: "MOUNT_IN_ROOT",
    step,
    source,
    target,
    fstype: "bind",
    flags: opts.flags & (MS.BIND | MS.REC),
    opts: create,
  }, ...propagationOps(step, target, opts, MountOpt.ON_LAST_MOUNT)];
  const extra = opts.flags & ~(MS.BIND | MS.REC | MS.REMOUNT);
  if (extra !== 0 || opts.clearedFlags !== 0) {
    ops.push({
      op: "MOUNT_IN_ROOT",
      step,
      target,
      flags: extra | MS.BIND | MS.REMOUNT,
      opts: MountOpt.KEEP_LOCKED | MountOpt.ON_LAST_MOUNT,
    });
  }
  return ops;
}

/** A bind from the parent's tree: attach it, then as bindOps after the bind. */
function treeOps(step: string, target: string, opts: MountOptions, fd: number): PlanOp[] {
  const [, ...rest] = bindOps(step, "", target, opts, 0);
  return [{ op: "ATTACH_TREE_IN_ROOT", step, target, fd }, ...rest];
}

/** fstatfs magic of the filesystems the init checks before attaching them. */
const FS_MAGIC: Readonly<Record<string, number>> = { proc: 0x9fa0, sysfs: 0x62656572 };

/**
 * A filesystem mount on a directory created if missing, made detached and
 * attached (FSMOUNT), then propagation on that mount. proc and sysfs go
 * only onto an ordinary directory, and are checked by their magic before
 * they are attached (a /proc the container controls would give it the
 * init's view of every host fact it reads there).
 */
function fsOps(
  step: string,
  source: string,
  target: string,
  fstype: string,
  flags: number,
  data: string,
  opts: MountOptions,
): PlanOp[] {
  const magic = Object.hasOwn(FS_MAGIC, fstype) ? FS_MAGIC[fstype] : undefined;
  return [
    {
      op: "MOUNT_IN_ROOT",
      step,
      source,
      target,
      fstype,
      flags,
      ...(data ? { data } : {}),
      opts: MountOpt.MKDIR | MountOpt.FSMOUNT | (magic === undefined ? 0 : MountOpt.ORDINARY_DIR),
      ...(magic === undefined ? {} : { num: magic }),
    },
    ...propagationOps(step, target, opts, MountOpt.ON_LAST_MOUNT),
  ];
}

/**
 * A "cgroup" mount. Unified hierarchy: a cgroup2 mount with the config's
 * flags; in a user namespace without a cgroup namespace the kernel refuses
 * that (runc #2158), so, as runc falls back to, the host's /sys/fs/cgroup
 * is bound instead. v1 (legacy or hybrid): a tmpfs, then per hierarchy
 * either a fresh cgroup mount (with a cgroup namespace) or a bind of the
 * container's own cgroup directory, then symlinks for co-mounted
 * controllers ("cpu" → "cpu,cpuacct"), as runc's mountCgroupV1.
 */
function cgroupOps(step: string, m: Mount, opts: MountOptions, ctx: MountContext): PlanOp[] {
  const dest = cleanPath(m.destination);
  if (ctx.cgroup.mode === "unified") {
    if (ctx.userns && !ctx.cgroupns) {
      return bindOps(
        step,
        "/sys/fs/cgroup",
        dest,
        { ...opts, flags: opts.flags | MS.BIND },
        MountOpt.MKDIR,
      );
    }
    return fsOps(step, m.source ?? "cgroup", dest, "cgroup2", opts.flags, opts.data, opts);
  }
  const tmpfs = { ...opts, flags: DEFAULT_FLAGS, data: "mode=755" };
  const ops = fsOps(step, "tmpfs", dest, "tmpfs", DEFAULT_FLAGS, "mode=755", tmpfs);
  for (const h of ctx.cgroup.v1) {
    const name = baseName(h.mountpoint);
    const target = joinPath(dest, name);
    if (ctx.cgroupns) {
      const systemd = name === "systemd";
      const flags = DEFAULT_FLAGS | (opts.flags & MS.RDONLY);
      const data = systemd ? "name=systemd" : name;
      ops.push(...fsOps(step, systemd ? "systemd" : "cgroup", target, "cgroup", flags, data, {
        ...opts,
        propagation: [],
      }));
    } else {
      const source = joinPath(h.mountpoint, h.path);
      const bind = { ...opts, flags: opts.flags | MS.BIND | MS.REC };
      ops.push(...bindOps(step, source, target, bind, MountOpt.MKDIR));
    }
  }
  for (const h of ctx.cgroup.v1) {
    const name = baseName(h.mountpoint);
    if (!name.includes(",")) continue;
    for (const sub of name.split(",")) {
      ops.push({ op: "SYMLINK_IN_ROOT", step, source: name, target: joinPath(dest, sub) });
    }
  }
  return ops;
}

/** Which mount a later operation acts on: the last one made, or a slot's. */
type On = { readonly lastMount: true } | { readonly slot: number };

/** mount_setattr of the recursive attributes, when the options have any. */
function recAttrOps(step: string, target: string, opts: MountOptions, on: On): PlanOp[] {
  if (!opts.recAttr) return [];
  const { set, clear } = opts.recAttr;
  return [{
    op: "SETATTR_IN_ROOT",
    step,
    target,
    value: BigInt(set),
    value2: BigInt(clear),
    ...("slot" in on ? { slot: on.slot } : { opts: MountOpt.ON_LAST_MOUNT }),
  }];
}

/**
 * The operations for config mount `i` (runc's mountToRootfs); with slot
 * (mountSlots), the mount made is kept in that slot.
 */
export function mountOps(m: Mount, i: number, ctx: MountContext, slot?: number): PlanOp[] {
  const ops = mountOpsOf(m, i, ctx, slot);
  // A destination outside /proc must not reach it through a symlink in the
  // rootfs either: the init checks where the target really is.
  const dest = cleanPath(m.destination);
  const first = ops[0];
  if (dest !== "/proc" && !dest.startsWith("/proc/") && first?.op === "MOUNT_IN_ROOT") {
    ops[0] = { ...first, opts: (first.opts ?? 0) | MountOpt.NOT_ON_PROCFS };
  }
  if (slot !== undefined) ops[0] = keepInSlot(ops[0], slot, i);
  return ops;
}

/** The making operation of a mount, told to keep its mount in slot. */
function keepInSlot(op: PlanOp | undefined, slot: number, i: number): PlanOp {
  if (op?.op === "MOUNT_IN_ROOT" || op?.op === "ATTACH_TREE_IN_ROOT") return { ...op, slot };
  throw new Error(`mounts[${i}]: no mount is made first to keep in slot ${slot}`);
}

function mountOpsOf(m: Mount, i: number, ctx: MountContext, slot?: number): PlanOp[] {
  const { opts, type } = parseMount(m);
  const dest = cleanPath(m.destination);
  const ops = mountOnly(m, i, ctx, opts, type, dest);
  if (writableUntilFinalize(type, dest)) return ops;
  // Right after the mount's own operations, on the mount the first made: a
  // cgroup v1 tree made more mounts since, so its first is in its slot.
  const on: On = type === "cgroup" && slot !== undefined ? { slot } : { lastMount: true };
  return [...ops, ...recAttrOps(`mounts[${i}]`, dest, opts, on)];
}

function mountOnly(
  m: Mount,
  i: number,
  ctx: MountContext,
  opts: MountOptions,
  type: string,
  dest: string,
): PlanOp[] {
  const step = `mounts[${i}]`;
  if (dest === "/") {
    throw new ConfigError(
      `/mounts/${i}/destination`,
      'Cannot mount on "/": a mount may not cover the container\'s root',
    );
  }
  if (type === "") {
    throw new ConfigError(`/mounts/${i}/type`, 'A mount needs a type unless it is a "bind"');
  }
  if (type === "bind") {
    const source = m.source ?? "";
    if (source === "") throw new ConfigError(`/mounts/${i}/source`, "A bind mount needs a source");
    const abs = source.startsWith("/") ? cleanPath(source) : joinPath(ctx.bundle, source);
    checkProcMount(i, dest, type, abs);
    const tree = ctx.treeFds?.get(i);
    if (tree !== undefined) return treeOps(step, dest, opts, tree);
    if (wantsIdmap(m)) throw new Error(`${step}: no idmapped tree was prepared for it`);
    return bindOps(step, abs, dest, opts, MountOpt.LIKE_SOURCE);
  }
  checkProcMount(i, dest, type, m.source ?? "");
  if (type === "cgroup") return cgroupOps(step, m, opts, ctx);
  // runc's mountPropagate: tmpfs and /dev stay writable until finalizeRootfs.
  const flags = writableUntilFinalize(type, dest) ? opts.flags & ~MS.RDONLY : opts.flags;
  return fsOps(step, m.source ?? type, dest, type, flags, opts.data, opts);
}

/** The operations for all config mounts, in config order. */
export function mountsPlan(spec: Spec, ctx: MountContext): PlanOp[] {
  const slots = mountSlots(spec);
  return (spec.mounts ?? []).flatMap((m, i) => mountOps(m, i, ctx, slots.get(i)));
}

/**
 * After pivot_root: remount read-only the tmpfs mounts and the /dev mount
 * that asked for "ro" (runc's finalizeRootfs), then their recursive
 * attributes, each on the mount kept in its slot when it was made (target
 * only names it); then the slots are closed. Where runc remounts by path,
 * which finds the top mount there, a mount another covered is still the
 * one remounted.
 */
export function finalizeMountOps(spec: Spec): PlanOp[] {
  const slots = mountSlots(spec);
  const ops: PlanOp[] = [];
  (spec.mounts ?? []).forEach((m, i) => {
    const slot = slots.get(i);
    const { opts, type } = parseMount(m);
    const dest = cleanPath(m.destination);
    if (slot === undefined || !writableUntilFinalize(type, dest)) return;
    if (opts.flags & MS.RDONLY) {
      const flags = (opts.flags & ~(MS.BIND | MS.REC | MS.REMOUNT)) | MS.RDONLY;
      ops.push({ op: "REMOUNT", step: `mounts[${i}]`, target: dest, flags, slot });
    }
    ops.push(...recAttrOps(`mounts[${i}]`, dest, opts, { slot }));
  });
  if (slots.size > 0) ops.push({ op: "DROP_MOUNT_SLOTS", step: "finalizeRootfs" });
  return ops;
}
