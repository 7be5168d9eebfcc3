import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { finalizeMountOps, type MountContext, mountsPlan } from "./mounts.ts";
import { mountSlots } from "./mount_slots.ts";
import { MS } from "./mount_options.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import type { Mount } from "../lib/spec/types.ts";

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
