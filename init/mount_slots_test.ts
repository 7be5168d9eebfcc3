import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { finalizeMountOps, type MountContext, mountsPlan } from "./mounts.ts";
import { mountSlots } from "./mount_slots.ts";
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
