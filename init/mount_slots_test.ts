import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { finalizeMountOps, type MountContext, mountsPlan } from "./mounts.ts";
import { mountSlots, underDevSlot } from "./mount_slots.ts";
import { MS } from "./mount_options.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import type { Mount, Spec } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { standardInitPlan } from "./standard_init.ts";

const ctx: MountContext = {
  bundle: "/b",
  cgroup: { mode: "unified" },
  userns: false,
  cgroupns: false,
};

Deno.test("mountSlots() numbers the mounts acted on later, densely in config order", () => {
  const mounts: Mount[] = [
    { destination: "/proc", type: "proc", source: "proc" },
    { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid"] },
    { destination: "/run", type: "tmpfs", options: ["ro"] },
    { destination: "/x", source: "/y", options: ["rbind", "rro"] },
    { destination: "/sys/fs/cgroup", type: "cgroup", options: ["rnoexec"] },
    { destination: "/tmp", type: "tmpfs", options: ["rnosuid"] },
    { destination: "/dev", source: "/h/dev", options: ["rbind", "ro"] },
  ];
  deepStrictEqual([...mountSlots({ ociVersion: "1", mounts })], [[2, 0], [4, 1], [5, 2], [6, 3]]);
  const many = Array.from(
    { length: 257 },
    () => ({ destination: "/r", type: "tmpfs", options: ["ro"] }),
  );
  throws(
    () => mountSlots({ ociVersion: "1", mounts: many }),
    (e: unknown) => e instanceof ConfigError && e.pointer === "/mounts/256",
  );
  equal(mountSlots({ ociVersion: "1", mounts: many.slice(0, 256) }).size, 256);
});

Deno.test("mountsPlan() keeps a mount in its slot and finalizeMountOps() acts on that slot, never the path", () => {
  const mounts: Mount[] = [
    { destination: "/run", type: "tmpfs", options: ["ro", "rshared"] },
    { destination: "/run", type: "tmpfs", options: ["size=1m"] },
    { destination: "/dev", source: "/h/dev", options: ["rbind", "ro"] },
  ];
  const plan = mountsPlan({ ociVersion: "1", mounts }, ctx);
  deepStrictEqual(plan.filter((o) => o.slot !== undefined).map((o) => [o.step, o.op, o.slot]), [
    ["mounts[0]", "MOUNT_IN_ROOT", 0],
    ["mounts[2]", "MOUNT_IN_ROOT", 1],
  ]);
  // The propagation right after the mount acts on it by its fd too.
  deepStrictEqual(plan[1], {
    op: "MOUNT_IN_ROOT",
    step: "mounts[0]",
    target: "/run",
    flags: MS.SHARED | MS.REC,
    opts: MountOpt.ON_LAST_MOUNT,
  });
  const fin = finalizeMountOps({ ociVersion: "1", mounts });
  deepStrictEqual(fin.map((o) => [o.op, o.step, o.slot]), [
    ["REMOUNT", "mounts[0]", 0],
    ["REMOUNT", "mounts[2]", 1],
    ["DROP_MOUNT_SLOTS", "finalizeRootfs", undefined],
  ]);
  deepStrictEqual(finalizeMountOps({ ociVersion: "1", mounts: [mounts[1]] }), [], "nothing kept");
});

Deno.test("standardInitPlan(): every slot is kept before the pivot, used after it, dropped before EXEC", () => {
  const spec: Spec = {
    ociVersion: "1.2.0",
    root: { path: "rootfs" },
    process: { user: { uid: 0, gid: 0 }, args: ["sh"], cwd: "/" },
    linux: { namespaces: [{ type: "mount" }, { type: "pid" }] },
    mounts: [
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "ro"] },
      { destination: "/run", type: "tmpfs", options: ["rro", "rshared"] },
      { destination: "/x", source: "/y", options: ["rbind", "rro"] },
    ],
  };
  const plan = standardInitPlan({
    spec,
    bundle: "/b",
    rootfs: "/b/rootfs",
    noPivot: false,
    execFifoFd: 5,
    preservedFds: 0,
    host: { kcoreExists: false, capLastCap: 40, cgroup: { mode: "unified" } },
  });
  const at = (pred: (o: PlanOp) => boolean) => plan.findIndex(pred);
  const pivot = at((o) => o.op === "PIVOT_ROOT"), drop = at((o) => o.op === "DROP_MOUNT_SLOTS");
  const kept = plan.flatMap((o, i) =>
    o.slot !== undefined && (o.op === "MOUNT_IN_ROOT" || o.op === "ATTACH_TREE_IN_ROOT")
      ? [[o.slot, i]]
      : []
  );
  const used = plan.flatMap((o, i) =>
    o.slot !== undefined && (o.op === "REMOUNT" || o.op === "SETATTR_IN_ROOT") ? [[o.slot, i]] : []
  );
  deepStrictEqual(kept.map(([s]) => s), [0, 1]);
  ok(kept.every(([, i]) => i < pivot));
  deepStrictEqual(used.map(([s]) => s), [0, 1]);
  ok(used.every(([, i]) => i > pivot && i < drop));
  equal(plan[drop].step, "finalizeRootfs");
  ok(drop < at((o) => o.op === "EXEC"));
  // The bind's rro acts on its own mount at once, by its fd.
  const x = plan.filter((o) => o.op === "SETATTR_IN_ROOT" && o.target === "/x");
  deepStrictEqual(x.map((o) => [o.opts, o.slot]), [[MountOpt.ON_LAST_MOUNT, undefined]]);
  ok(at((o) => o === x[0]) < pivot);
});

const devTmpfs: Mount = {
  destination: "/dev",
  type: "tmpfs",
  source: "tmpfs",
  options: ["nosuid"],
};

Deno.test("mountSlots() keeps a /dev filesystem that later operations under /dev resolve in", () => {
  const slotsOf = (mounts: Mount[]) => [...mountSlots({ ociVersion: "1", mounts })];
  // The last /dev mount: the devices and the console come after every mount.
  deepStrictEqual(slotsOf([devTmpfs]), [[0, 0]]);
  deepStrictEqual(slotsOf([{ destination: "/proc", type: "proc" }, devTmpfs]), [[1, 0]]);
  // Covered by another /dev with nothing under it in between: no slot.
  const bind: Mount = { destination: "/dev", source: "/h/dev", options: ["rbind"] };
  deepStrictEqual(slotsOf([devTmpfs, { destination: "/run", type: "tmpfs" }, bind]), []);
  // A mount under /dev before the next /dev mount is made in it.
  const pts: Mount = { destination: "/dev/pts", type: "devpts" };
  deepStrictEqual(slotsOf([devTmpfs, pts, bind]), [[0, 0]]);
  deepStrictEqual(slotsOf([devTmpfs, pts, devTmpfs]), [[0, 0], [2, 1]]);
  // A /dev bound from the host keeps no slot for this (by path, as runc).
  deepStrictEqual(slotsOf([bind, pts]), []);
  deepStrictEqual(slotsOf([{ destination: "/dev/", type: "devtmpfs" }, pts]), [[0, 0]]);
});

/** The under and subpath of each operation of a plan, by op and target. */
const underOf = (plan: readonly PlanOp[]) => plan.map((o) => [o.op, o.target, o.under, o.subpath]);

Deno.test("underDevSlot() resolves under /dev in the /dev mount's slot, from its mount to the next /dev mount", () => {
  const plan: PlanOp[] = [
    { op: "MOUNT_IN_ROOT", step: "a", target: "/dev/early", flags: 0, opts: MountOpt.MKDIR },
    {
      op: "MOUNT_IN_ROOT",
      step: "b",
      source: "tmpfs",
      target: "/dev",
      fstype: "tmpfs",
      flags: 0,
      opts: MountOpt.MKDIR | MountOpt.FSMOUNT,
      slot: 3,
    },
    {
      op: "MOUNT_IN_ROOT",
      step: "b",
      target: "/dev",
      flags: MS.SHARED,
      opts: MountOpt.ON_LAST_MOUNT,
    },
    {
      op: "MOUNT_IN_ROOT",
      step: "c",
      source: "devpts",
      target: "/dev/pts",
      fstype: "devpts",
      flags: 0,
      opts: MountOpt.MKDIR | MountOpt.FSMOUNT,
    },
    {
      op: "MOUNT_IN_ROOT",
      step: "c",
      target: "/dev/pts",
      flags: MS.SLAVE,
      opts: MountOpt.ON_LAST_MOUNT,
    },
    { op: "MKNOD_IN_ROOT", step: "d", target: "/dev/null", mode: 0o20666, dev: 0x103 },
    { op: "SYMLINK_IN_ROOT", step: "e", source: "pts/ptmx", target: "/dev/ptmx" },
    { op: "SYMLINK_IN_ROOT", step: "e", source: "x", target: "/devx/y" },
    { op: "ATTACH_TREE_IN_ROOT", step: "f", target: "/dev/./a/../b", fd: 7 },
    { op: "MKNOD_IN_ROOT", step: "g", target: "/null2", mode: 0o20666, dev: 0x103 },
    { op: "CONSOLE", step: "h", source: "/dev/pts/ptmx", target: "/dev/console", fd: 4 },
    { op: "CONSOLE", step: "h", source: "/dev/pts/ptmx", fd: 4 },
    { op: "DROP_MOUNT_SLOTS", step: "i" },
    { op: "MKNOD_IN_ROOT", step: "j", target: "/dev/late", mode: 0o20666, dev: 0x103 },
  ];
  deepStrictEqual(underOf(underDevSlot(plan)), [
    ["MOUNT_IN_ROOT", "/dev/early", undefined, undefined],
    ["MOUNT_IN_ROOT", "/dev", undefined, undefined],
    ["MOUNT_IN_ROOT", "/dev", undefined, undefined],
    ["MOUNT_IN_ROOT", "/dev/pts", 3, "pts"],
    ["MOUNT_IN_ROOT", "/dev/pts", undefined, undefined],
    ["MKNOD_IN_ROOT", "/dev/null", 3, "null"],
    ["SYMLINK_IN_ROOT", "/dev/ptmx", 3, "ptmx"],
    ["SYMLINK_IN_ROOT", "/devx/y", undefined, undefined],
    ["ATTACH_TREE_IN_ROOT", "/dev/./a/../b", 3, "b"],
    ["MKNOD_IN_ROOT", "/null2", undefined, undefined],
    ["CONSOLE", "/dev/console", 3, "console"],
    ["CONSOLE", undefined, undefined, undefined],
    ["DROP_MOUNT_SLOTS", undefined, undefined, undefined],
    ["MKNOD_IN_ROOT", "/dev/late", undefined, undefined],
  ]);
  // Everything else of each operation is as it was.
  deepStrictEqual(underDevSlot(plan)[5], { ...plan[5], under: 3, subpath: "null" });
  // A bind on /dev (or a /dev filesystem without a slot) ends it: by path after it.
  const bind: PlanOp = {
    op: "MOUNT_IN_ROOT",
    step: "k",
    source: "/h/dev",
    target: "/dev",
    fstype: "bind",
    flags: MS.BIND,
    opts: MountOpt.LIKE_SOURCE,
    slot: 4,
  };
  const after = underDevSlot([plan[1], bind, plan[5]]);
  deepStrictEqual(underOf(after).at(-1), ["MKNOD_IN_ROOT", "/dev/null", undefined, undefined]);
  const noSlot = { ...plan[1], slot: undefined } as PlanOp;
  deepStrictEqual(underOf(underDevSlot([noSlot, plan[5]])).at(-1), [
    "MKNOD_IN_ROOT",
    "/dev/null",
    undefined,
    undefined,
  ]);
});
