// standardInitPlan() and the container's /dev: what is made under /dev after
// a /dev filesystem is resolved in that mount's slot (under, subpath), never
// by path; with /dev bound from the host, or no /dev mount, by path.
// (Beside standard_init_test.ts, which is at the file size limit.)

import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { type StandardInitInput, standardInitPlan } from "./standard_init.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import type { Mount, Spec } from "../lib/spec/types.ts";
import { encodeBootstrap } from "../lib/bootstrap/encode.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";

/** runc spec's /dev mounts, then /sys. */
const DEV_MOUNTS: Mount[] = [
  { destination: "/proc", type: "proc", source: "proc" },
  { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "mode=755"] },
  { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["newinstance"] },
  { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "size=64k"] },
  { destination: "/dev/mqueue", type: "mqueue", source: "mqueue" },
  { destination: "/sys", type: "sysfs", source: "sysfs", options: ["ro"] },
];

function input(mounts: Mount[], userns = false): StandardInitInput {
  const namespaces = [{ type: "mount" }, { type: "pid" }, ...(userns ? [{ type: "user" }] : [])];
  const spec: Spec = {
    ociVersion: "1.2.0",
    root: { path: "rootfs" },
    process: { user: { uid: 0, gid: 0 }, args: ["sh"], cwd: "/", terminal: true },
    linux: {
      namespaces: namespaces as NonNullable<Spec["linux"]>["namespaces"],
      devices: [{ path: "/dev/fuse", type: "c", major: 10, minor: 229 }],
    },
    mounts,
  };
  return {
    spec,
    bundle: "/b",
    rootfs: "/b/rootfs",
    noPivot: false,
    execFifoFd: 5,
    preservedFds: 0,
    consoleSocketFd: 6,
    host: { kcoreExists: true, capLastCap: 40, cgroup: { mode: "unified" } },
  };
}

/** The operations that resolve a target under /dev (not ON_LAST_MOUNT ones). */
function underDev(plan: readonly PlanOp[]): PlanOp[] {
  return plan.filter((o) =>
    o.target?.startsWith("/dev/") &&
      ["MKNOD_IN_ROOT", "SYMLINK_IN_ROOT", "CONSOLE", "ATTACH_TREE_IN_ROOT"].includes(o.op) ||
    (o.op === "MOUNT_IN_ROOT" && o.target.startsWith("/dev/") &&
      (o.opts & MountOpt.ON_LAST_MOUNT) === 0)
  );
}

Deno.test("standardInitPlan() with a /dev tmpfs: every node, symlink, mount and the console under /dev carry its slot", () => {
  const plan = standardInitPlan(input(DEV_MOUNTS));
  const dev = plan.find((o) => o.op === "MOUNT_IN_ROOT" && o.target === "/dev" && o.fstype);
  equal(dev?.slot, 0);
  const ops = underDev(plan);
  deepStrictEqual(ops.map((o) => [o.step, o.op, o.target, o.under, o.subpath]), [
    ["mounts[2]", "MOUNT_IN_ROOT", "/dev/pts", 0, "pts"],
    ["mounts[3]", "MOUNT_IN_ROOT", "/dev/shm", 0, "shm"],
    ["mounts[4]", "MOUNT_IN_ROOT", "/dev/mqueue", 0, "mqueue"],
    ["devices", "MKNOD_IN_ROOT", "/dev/null", 0, "null"],
    ["devices", "MKNOD_IN_ROOT", "/dev/random", 0, "random"],
    ["devices", "MKNOD_IN_ROOT", "/dev/full", 0, "full"],
    ["devices", "MKNOD_IN_ROOT", "/dev/tty", 0, "tty"],
    ["devices", "MKNOD_IN_ROOT", "/dev/zero", 0, "zero"],
    ["devices", "MKNOD_IN_ROOT", "/dev/urandom", 0, "urandom"],
    ["devices", "MKNOD_IN_ROOT", "/dev/fuse", 0, "fuse"],
    ["ptmx", "SYMLINK_IN_ROOT", "/dev/ptmx", 0, "ptmx"],
    ["devSymlinks", "SYMLINK_IN_ROOT", "/dev/fd", 0, "fd"],
    ["devSymlinks", "SYMLINK_IN_ROOT", "/dev/stdin", 0, "stdin"],
    ["devSymlinks", "SYMLINK_IN_ROOT", "/dev/stdout", 0, "stdout"],
    ["devSymlinks", "SYMLINK_IN_ROOT", "/dev/stderr", 0, "stderr"],
    ["devSymlinks", "SYMLINK_IN_ROOT", "/dev/core", 0, "core"],
    ["console", "CONSOLE", "/dev/console", 0, "console"],
  ]);
  // The slot outlives the console bind after the pivot and is dropped before EXEC.
  const at = (op: string) => plan.findIndex((o) => o.op === op);
  ok(at("PIVOT_ROOT") < at("CONSOLE") && at("CONSOLE") < at("DROP_MOUNT_SLOTS"));
  ok(at("DROP_MOUNT_SLOTS") < at("EXEC"));
  // Nothing else takes them; the plan encodes (the C decoder's schema has them).
  ok(plan.every((o) => o.under === undefined || ops.includes(o)));
  ok(encodeBootstrap({ cloneFlags: 0x20020000, nsPaths: [], logLevel: 1, plan }).length > 0);
});

Deno.test("standardInitPlan() in a user namespace: the devices bound onto files under /dev carry the slot", () => {
  const plan = standardInitPlan(input(DEV_MOUNTS, true));
  const devices = plan.filter((o) => o.step === "devices" && o.op === "MOUNT_IN_ROOT");
  equal(devices.length, 7);
  deepStrictEqual(devices[0], {
    op: "MOUNT_IN_ROOT",
    step: "devices",
    source: "/dev/null",
    target: "/dev/null",
    fstype: "bind",
    flags: 0x1000,
    opts: 2,
    under: 0,
    subpath: "null",
  });
  ok(devices.every((o) => o.under === 0 && o.subpath === o.target?.slice(5)));
});

Deno.test("standardInitPlan() with /dev bound from the host or not mounted at all: everything by path", () => {
  const bound = DEV_MOUNTS.map((m) =>
    m.destination === "/dev" ? { destination: "/dev", source: "/dev", options: ["rbind"] } : m
  );
  const none = DEV_MOUNTS.filter((m) => !m.destination.startsWith("/dev"));
  for (const mounts of [bound, none]) {
    const plan = standardInitPlan(input(mounts));
    ok(plan.every((o) => o.under === undefined && o.subpath === undefined), JSON.stringify(mounts));
    ok(plan.some((o) => o.op === "CONSOLE" && o.target === "/dev/console"));
  }
  // Without a /dev mount the devices are still made, by path.
  const plan = standardInitPlan(input(none));
  ok(plan.some((o) => o.op === "MKNOD_IN_ROOT" && o.target === "/dev/null"));
  equal(plan.findIndex((o) => o.op === "DROP_MOUNT_SLOTS"), -1);
});

Deno.test("standardInitPlan(): a mount under /dev before the /dev mount (which covers it) stays by path", () => {
  const early: Mount = { destination: "/dev/early", type: "tmpfs", source: "tmpfs" };
  const plan = standardInitPlan(input([early, ...DEV_MOUNTS]));
  const first = plan.find((o) => o.op === "MOUNT_IN_ROOT" && o.target === "/dev/early");
  equal(first?.under, undefined);
  equal(plan.find((o) => o.target === "/dev/pts")?.under, 0);
});
