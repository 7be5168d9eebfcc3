import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import {
  containerDevices,
  devicesPlan,
  devSymlinksOps,
  makedev,
  needsSetupDev,
  ptmxOps,
} from "./devices.ts";
import { MS } from "./mount_options.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";
import type { Spec } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { underDevSlot } from "./mount_slots.ts";

const S_IFCHR = 0o020000;

Deno.test("makedev() matches glibc", () => {
  equal(makedev(1, 3), 0x103);
  equal(makedev(5, 0), 0x500);
  equal(makedev(259, 1), 0x10301);
  equal(makedev(8, 256), 0x100800);
});

Deno.test("devicesPlan() makes runc's six default devices after UMASK 0", () => {
  const ops = devicesPlan({ ociVersion: "1" }, false);
  deepStrictEqual(ops[0], { op: "UMASK", step: "devices", mode: 0 });
  deepStrictEqual(ops.slice(1).map((o) => [o.target, o.dev]), [
    ["/dev/null", 0x103],
    ["/dev/random", 0x108],
    ["/dev/full", 0x107],
    ["/dev/tty", 0x500],
    ["/dev/zero", 0x105],
    ["/dev/urandom", 0x109],
  ]);
  deepStrictEqual(ops[1], {
    op: "MKNOD_IN_ROOT",
    step: "devices",
    target: "/dev/null",
    mode: S_IFCHR | 0o666,
    dev: 0x103,
    uid: 0,
    gid: 0,
  });
});

Deno.test("devicesPlan() takes the permission bits of a fileMode carrying type bits (podman's 8630)", () => {
  const spec: Spec = {
    ociVersion: "1",
    linux: { devices: [{ path: "/dev/n2", type: "c", major: 1, minor: 3, fileMode: 8630 }] },
  };
  const op = devicesPlan(spec, false).at(-1)!;
  equal(op.target, "/dev/n2");
  equal(op.mode, S_IFCHR | 0o666);
});

Deno.test("devicesPlan() lets a config device replace a default and adds the rest", () => {
  const spec: Spec = {
    ociVersion: "1",
    linux: {
      devices: [
        { path: "/dev/null", type: "c", major: 1, minor: 3, fileMode: 0o600, uid: 5, gid: 6 },
        { path: "/dev/sda", type: "b", major: 8, minor: 0 },
        { path: "/dev/fifo", type: "p" },
        { path: "/dev/ptmx", type: "c", major: 5, minor: 2 },
      ],
    },
  };
  const ops = devicesPlan(spec, false).slice(1);
  deepStrictEqual(ops.map((o) => o.target), [
    "/dev/random",
    "/dev/full",
    "/dev/tty",
    "/dev/zero",
    "/dev/urandom",
    "/dev/null",
    "/dev/sda",
    "/dev/fifo",
  ]);
  deepStrictEqual(ops[5], {
    op: "MKNOD_IN_ROOT",
    step: "devices",
    target: "/dev/null",
    mode: S_IFCHR | 0o600,
    dev: 0x103,
    uid: 5,
    gid: 6,
  });
  equal(ops[6].mode, 0o060000 | 0o666);
  equal(ops[7].mode, 0o010000 | 0o666);
  equal(ops[7].dev, 0);
  equal(containerDevices(spec).length, 8);
});

Deno.test("devicesPlan() binds host devices onto new files in a user namespace", () => {
  const ops = devicesPlan({ ociVersion: "1" }, true);
  deepStrictEqual(ops[1], {
    op: "MOUNT_IN_ROOT",
    step: "devices",
    source: "/dev/null",
    target: "/dev/null",
    fstype: "bind",
    flags: MS.BIND,
    opts: MountOpt.MKFILE,
  });
  equal(ops.slice(1).every((o) => o.op === "MOUNT_IN_ROOT"), true);
});

Deno.test("devicesPlan() refuses a char device without numbers", () => {
  const spec: Spec = { ociVersion: "1", linux: { devices: [{ path: "/dev/x", type: "c" }] } };
  throws(() => devicesPlan(spec, false), /\/linux\/devices\/0.*major and a minor/);
});

Deno.test("needsSetupDev() is false only when /dev is a bind mount", () => {
  equal(needsSetupDev({ ociVersion: "1" }), true);
  equal(needsSetupDev({ ociVersion: "1", mounts: [{ destination: "/dev", type: "tmpfs" }] }), true);
  equal(
    needsSetupDev({
      ociVersion: "1",
      mounts: [{ destination: "/dev/", source: "/dev", options: ["rbind"] }],
    }),
    false,
  );
});

Deno.test("ptmxOps() replaces /dev/ptmx with a link to pts/ptmx", () => {
  deepStrictEqual(ptmxOps(), [{
    op: "SYMLINK_IN_ROOT",
    step: "ptmx",
    source: "pts/ptmx",
    target: "/dev/ptmx",
    opts: MountOpt.REPLACE,
  }]);
});

Deno.test("devSymlinksOps() links fd and stdio, and core only with kcore", () => {
  deepStrictEqual(devSymlinksOps(false).map((o) => [o.source, o.target]), [
    ["/proc/self/fd", "/dev/fd"],
    ["/proc/self/fd/0", "/dev/stdin"],
    ["/proc/self/fd/1", "/dev/stdout"],
    ["/proc/self/fd/2", "/dev/stderr"],
  ]);
  deepStrictEqual(devSymlinksOps(true).at(-1), {
    op: "SYMLINK_IN_ROOT",
    step: "devSymlinks",
    source: "/proc/kcore",
    target: "/dev/core",
  });
});

Deno.test("devicesPlan(), ptmxOps() and devSymlinksOps() after a /dev tmpfs in slot 2 resolve in it (underDevSlot)", () => {
  const dev: PlanOp = {
    op: "MOUNT_IN_ROOT",
    step: "mounts[1]",
    source: "tmpfs",
    target: "/dev",
    fstype: "tmpfs",
    flags: 0,
    opts: MountOpt.MKDIR | MountOpt.FSMOUNT,
    slot: 2,
  };
  const spec: Spec = {
    ociVersion: "1",
    linux: { devices: [{ path: "/dev/a/b", type: "p" }, { path: "/elsewhere/n", type: "p" }] },
  };
  for (const userns of [false, true]) {
    const made = [...devicesPlan(spec, userns), ...ptmxOps(), ...devSymlinksOps(false)];
    const plan = underDevSlot([dev, ...made]).slice(1);
    deepStrictEqual(
      plan.filter((o) => o.op !== "UMASK").map((o) => [o.target, o.under, o.subpath]),
      [
        ["/dev/null", 2, "null"],
        ["/dev/random", 2, "random"],
        ["/dev/full", 2, "full"],
        ["/dev/tty", 2, "tty"],
        ["/dev/zero", 2, "zero"],
        ["/dev/urandom", 2, "urandom"],
        ["/dev/a/b", 2, "a/b"],
        ["/elsewhere/n", undefined, undefined],
        ["/dev/ptmx", 2, "ptmx"],
        ["/dev/fd", 2, "fd"],
        ["/dev/stdin", 2, "stdin"],
        ["/dev/stdout", 2, "stdout"],
        ["/dev/stderr", 2, "stderr"],
      ],
    );
    // Without the /dev mount before them they stay by path.
    ok(underDevSlot(made).every((o) => o.under === undefined));
  }
});
