import { deepStrictEqual, equal, throws } from "node:assert/strict";
import {
  checkProcMount,
  finalizeMountOps,
  type MountContext,
  mountOps,
  mountsPlan,
} from "./mounts.ts";
import { MOUNT_ATTR, MS } from "./mount_options.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import type { Mount } from "../lib/spec/types.ts";

const ctx: MountContext = {
  bundle: "/b",
  cgroup: { mode: "unified" },
  userns: false,
  cgroupns: false,
};
const NSE = MS.NOSUID | MS.NOEXEC | MS.NODEV;

Deno.test("mountOps() mounts proc only on an ordinary directory, checked to be a procfs first", () => {
  const m: Mount = {
    destination: "/proc",
    type: "proc",
    source: "proc",
    options: ["nosuid", "noexec", "nodev"],
  };
  deepStrictEqual(mountOps(m, 0, ctx), [{
    op: "MOUNT_IN_ROOT",
    step: "mounts[0]",
    source: "proc",
    target: "/proc",
    fstype: "proc",
    flags: NSE,
    opts: MountOpt.MKDIR | MountOpt.ORDINARY_DIR | MountOpt.FSMOUNT,
    num: 0x9fa0,
  }]);
  const sys = mountOps({ destination: "/sys", type: "sysfs", source: "sysfs" }, 1, ctx)[0];
  equal(
    sys.opts,
    MountOpt.MKDIR | MountOpt.ORDINARY_DIR | MountOpt.FSMOUNT | MountOpt.NOT_ON_PROCFS,
  );
  equal(sys.num, 0x62656572);
  const tmp = mountOps({ destination: "/t", type: "tmpfs", source: "tmpfs" }, 2, ctx)[0];
  equal(tmp.opts! & (MountOpt.ORDINARY_DIR | MountOpt.FSMOUNT), MountOpt.FSMOUNT);
  equal(tmp.num, undefined, 'no magic to check: fsopen("tmpfs") makes nothing else');
});

Deno.test("mountOps() asks the init to refuse a target that resolves onto a procfs, except under /proc", () => {
  const bind = mountOps({ destination: "/evil", source: "/p", options: ["bind"] }, 0, ctx);
  equal(bind[0].opts! & MountOpt.NOT_ON_PROCFS, MountOpt.NOT_ON_PROCFS);
  const proc = mountOps({ destination: "/proc", type: "proc", source: "proc" }, 0, ctx);
  equal(proc[0].opts! & MountOpt.NOT_ON_PROCFS, 0);
  const lxcfs = mountOps({ destination: "/proc/cpuinfo", source: "/c", options: ["bind"] }, 0, ctx);
  equal(lxcfs[0].opts! & MountOpt.NOT_ON_PROCFS, 0, "the lxcfs files are meant to cover /proc");
});

Deno.test("mountOps() passes unknown options as data and applies propagation after", () => {
  const m: Mount = {
    destination: "/dev/pts",
    type: "devpts",
    source: "devpts",
    options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "rshared"],
  };
  deepStrictEqual(mountOps(m, 2, ctx), [
    {
      op: "MOUNT_IN_ROOT",
      step: "mounts[2]",
      source: "devpts",
      target: "/dev/pts",
      fstype: "devpts",
      flags: MS.NOSUID | MS.NOEXEC,
      data: "newinstance,ptmxmode=0666,mode=0620",
      opts: MountOpt.MKDIR | MountOpt.FSMOUNT | MountOpt.NOT_ON_PROCFS,
    },
    {
      op: "MOUNT_IN_ROOT",
      step: "mounts[2]",
      target: "/dev/pts",
      flags: MS.SHARED | MS.REC,
      opts: MountOpt.ON_LAST_MOUNT,
    },
  ]);
});

Deno.test("mountOps() mounts tmpfs writable; finalizeMountOps() remounts it ro", () => {
  const mounts: Mount[] = [
    { destination: "/run", type: "tmpfs", options: ["ro", "nosuid", "size=1m"] },
    { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["ro", "mode=755"] },
    { destination: "/sys", type: "sysfs", source: "sysfs", options: ["ro"] },
  ];
  const ops = mountsPlan({ ociVersion: "1", mounts }, ctx);
  equal(ops[0].flags, MS.NOSUID);
  equal(ops[0].source, "tmpfs");
  equal(ops[1].flags, 0);
  equal(ops[2].flags, MS.RDONLY, "sysfs is mounted ro at once");
  equal(ops[0].slot, 0, "kept for its remount after pivot_root");
  equal(ops[1].slot, 1);
  equal(ops[2].slot, undefined);
  deepStrictEqual(finalizeMountOps({ ociVersion: "1", mounts }), [
    { op: "REMOUNT", step: "mounts[0]", target: "/run", flags: MS.NOSUID | MS.RDONLY, slot: 0 },
    { op: "REMOUNT", step: "mounts[1]", target: "/dev", flags: MS.RDONLY, slot: 1 },
    { op: "DROP_MOUNT_SLOTS", step: "finalizeRootfs" },
  ]);
});

Deno.test("mountOps() binds, applies propagation, then remounts with the flags", () => {
  const m: Mount = {
    destination: "/data",
    type: "none",
    source: "vol",
    options: ["rbind", "ro", "nosuid", "rprivate"],
  };
  deepStrictEqual(mountOps(m, 3, ctx), [
    {
      op: "MOUNT_IN_ROOT",
      step: "mounts[3]",
      source: "/b/vol",
      target: "/data",
      fstype: "bind",
      flags: MS.BIND | MS.REC,
      opts: MountOpt.LIKE_SOURCE | MountOpt.NOT_ON_PROCFS,
    },
    // The bind's own operations act on the mount it made, by its fd.
    {
      op: "MOUNT_IN_ROOT",
      step: "mounts[3]",
      target: "/data",
      flags: MS.PRIVATE | MS.REC,
      opts: MountOpt.ON_LAST_MOUNT,
    },
    {
      op: "MOUNT_IN_ROOT",
      step: "mounts[3]",
      target: "/data",
      flags: MS.RDONLY | MS.NOSUID | MS.BIND | MS.REMOUNT,
      opts: MountOpt.KEEP_LOCKED | MountOpt.ON_LAST_MOUNT,
    },
  ]);
});

Deno.test("mountOps() binds without a remount when no flag is asked for", () => {
  const ops = mountOps({ destination: "/etc/hosts", source: "/h", options: ["bind"] }, 0, ctx);
  equal(ops.length, 1);
  equal(ops[0].flags, MS.BIND);
  const rw = mountOps({ destination: "/x", source: "/h", options: ["bind", "rw"] }, 0, ctx);
  equal(rw.length, 2, "a cleared flag also asks for the remount");
  equal(rw[1].flags, MS.BIND | MS.REMOUNT);
});

Deno.test("mountOps() refuses mounts inside /proc except runc's allowed files", () => {
  const bad: Mount = {
    destination: "/proc/sys/kernel/core_pattern",
    type: "bind",
    source: "/tmp/x",
    options: ["bind"],
  };
  throws(
    () => mountOps(bad, 4, ctx),
    (e: unknown) =>
      e instanceof ConfigError && e.pointer === "/mounts/4/destination" &&
      /inside \/proc/.test(e.message),
  );
  const ok = mountOps(
    { ...bad, destination: "/proc/meminfo", source: "/var/lib/lxcfs/proc/meminfo" },
    0,
    ctx,
  );
  equal(ok[0].target, "/proc/meminfo");
  throws(
    () => mountOps({ destination: "/proc", type: "tmpfs" }, 1, ctx),
    /only a mount of type proc/,
  );
  throws(
    () => mountOps({ destination: "/proc/../proc/sys", type: "tmpfs" }, 1, ctx),
    /inside \/proc/,
  );
  checkProcMount(0, "/proc", "bind", "/proc");
  checkProcMount(0, "/procfoo", "tmpfs", "");
});

Deno.test("mountOps() refuses '/' and a missing type", () => {
  throws(() => mountOps({ destination: "/", type: "tmpfs" }, 0, ctx), /may not cover/);
  throws(() => mountOps({ destination: "/x" }, 0, ctx), /\/mounts\/0\/type/);
});

Deno.test("mountOps() applies recursive attributes last, with mount_setattr(AT_RECURSIVE)", () => {
  const bind = mountOps(
    { destination: "/x", source: "/y", options: ["rbind", "rro", "rnosuid"] },
    0,
    ctx,
  );
  deepStrictEqual(bind.at(-1), {
    op: "SETATTR_IN_ROOT",
    step: "mounts[0]",
    target: "/x",
    value: BigInt(MOUNT_ATTR.RDONLY | MOUNT_ATTR.NOSUID),
    value2: 0n,
    opts: MountOpt.ON_LAST_MOUNT,
  });
  // An atime mode clears the whole atime field first.
  const atime = mountOps(
    { destination: "/x", source: "/y", options: ["bind", "rnoatime", "rrw"] },
    0,
    ctx,
  );
  deepStrictEqual([atime.at(-1)!.value, atime.at(-1)!.value2], [
    BigInt(MOUNT_ATTR.NOATIME),
    BigInt(MOUNT_ATTR.ATIME_MASK | MOUNT_ATTR.RDONLY),
  ]);
  equal(
    mountOps({ destination: "/x", source: "/y", options: ["bind"] }, 0, ctx).some((o) =>
      o.op === "SETATTR_IN_ROOT"
    ),
    false,
  );
  // tmpfs is filled before finalizeRootfs: its attributes come after it.
  const tmpfs: Mount = { destination: "/t", type: "tmpfs", source: "tmpfs", options: ["rro"] };
  equal(mountOps(tmpfs, 0, ctx).some((o) => o.op === "SETATTR_IN_ROOT"), false);
  deepStrictEqual(finalizeMountOps({ ociVersion: "1.2.0", mounts: [tmpfs] }), [
    {
      op: "SETATTR_IN_ROOT",
      step: "mounts[0]",
      target: "/t",
      value: BigInt(MOUNT_ATTR.RDONLY),
      value2: 0n,
      slot: 0,
    },
    { op: "DROP_MOUNT_SLOTS", step: "finalizeRootfs" },
  ]);
});

Deno.test("mountOps() mounts cgroup2 with the config's flags on a unified host", () => {
  const m: Mount = {
    destination: "/sys/fs/cgroup",
    type: "cgroup",
    source: "cgroup",
    options: ["ro", "nosuid", "noexec", "nodev"],
  };
  deepStrictEqual(mountOps(m, 5, ctx), [{
    op: "MOUNT_IN_ROOT",
    step: "mounts[5]",
    source: "cgroup",
    target: "/sys/fs/cgroup",
    fstype: "cgroup2",
    flags: MS.RDONLY | NSE,
    opts: MountOpt.MKDIR | MountOpt.FSMOUNT | MountOpt.NOT_ON_PROCFS,
  }]);
});

Deno.test("mountOps() binds the host's cgroup2 tree in a userns without a cgroupns", () => {
  const m: Mount = { destination: "/sys/fs/cgroup", type: "cgroup", options: ["ro"] };
  const ops = mountOps(m, 0, { ...ctx, userns: true });
  deepStrictEqual(ops.map((o) => [o.source, o.fstype, o.flags]), [
    ["/sys/fs/cgroup", "bind", MS.BIND],
    [undefined, undefined, MS.RDONLY | MS.BIND | MS.REMOUNT],
  ]);
});

Deno.test("mountOps() on a v1 host: tmpfs, one bind per hierarchy, co-mount symlinks", () => {
  const v1 = {
    mode: "hybrid" as const,
    v1: [
      { mountpoint: "/sys/fs/cgroup/cpu,cpuacct", path: "/runo/c1" },
      { mountpoint: "/sys/fs/cgroup/memory", path: "/runo/c1" },
    ],
  };
  const m: Mount = { destination: "/sys/fs/cgroup", type: "cgroup", options: ["ro", "nosuid"] };
  const ops = mountOps(m, 6, { ...ctx, cgroup: v1 });
  deepStrictEqual(ops.map((o) => [o.op, o.source, o.target, o.fstype, o.flags, o.data]), [
    ["MOUNT_IN_ROOT", "tmpfs", "/sys/fs/cgroup", "tmpfs", NSE, "mode=755"],
    [
      "MOUNT_IN_ROOT",
      "/sys/fs/cgroup/cpu,cpuacct/runo/c1",
      "/sys/fs/cgroup/cpu,cpuacct",
      "bind",
      MS.BIND | MS.REC,
      undefined,
    ],
    [
      "MOUNT_IN_ROOT",
      undefined,
      "/sys/fs/cgroup/cpu,cpuacct",
      undefined,
      MS.RDONLY | MS.NOSUID | MS.BIND | MS.REMOUNT,
      undefined,
    ],
    [
      "MOUNT_IN_ROOT",
      "/sys/fs/cgroup/memory/runo/c1",
      "/sys/fs/cgroup/memory",
      "bind",
      MS.BIND | MS.REC,
      undefined,
    ],
    [
      "MOUNT_IN_ROOT",
      undefined,
      "/sys/fs/cgroup/memory",
      undefined,
      MS.RDONLY | MS.NOSUID | MS.BIND | MS.REMOUNT,
      undefined,
    ],
    ["SYMLINK_IN_ROOT", "cpu,cpuacct", "/sys/fs/cgroup/cpu", undefined, undefined, undefined],
    ["SYMLINK_IN_ROOT", "cpu,cpuacct", "/sys/fs/cgroup/cpuacct", undefined, undefined, undefined],
  ]);
  equal(ops.every((o) => o.step === "mounts[6]"), true);
});

Deno.test("mountOps() on a v1 host with a cgroupns mounts fresh cgroup hierarchies", () => {
  const v1 = { mode: "legacy" as const, v1: [{ mountpoint: "/sys/fs/cgroup/systemd", path: "/" }] };
  const m: Mount = { destination: "/sys/fs/cgroup", type: "cgroup", options: ["ro"] };
  const ops = mountOps(m, 0, { ...ctx, cgroup: v1, cgroupns: true });
  deepStrictEqual(ops[1], {
    op: "MOUNT_IN_ROOT",
    step: "mounts[0]",
    source: "systemd",
    target: "/sys/fs/cgroup/systemd",
    fstype: "cgroup",
    flags: NSE | MS.RDONLY,
    data: "name=systemd",
    opts: MountOpt.MKDIR | MountOpt.FSMOUNT,
  });
});

Deno.test("mountOps() reads type 'bind' without a bind option as a plain bind", () => {
  const ops = mountOps({ destination: "/x", type: "bind", source: "/y", options: ["ro"] }, 0, ctx);
  deepStrictEqual(ops.map((o) => [o.fstype, o.flags]), [
    ["bind", MS.BIND],
    [undefined, MS.RDONLY | MS.BIND | MS.REMOUNT],
  ]);
});

Deno.test("mountOps(): a mount's later operations act on its kept fd, whatever its type", () => {
  const later = (m: Mount) =>
    mountOps(m, 0, ctx).slice(1).map((o) => (o.opts ?? 0) & MountOpt.ON_LAST_MOUNT);
  deepStrictEqual(
    later({ destination: "/proc", type: "proc", source: "proc", options: ["rprivate"] }),
    [
      MountOpt.ON_LAST_MOUNT,
    ],
  );
  for (const type of ["tmpfs", "mqueue", "devpts", "sysfs", "fuse.x"]) {
    deepStrictEqual(
      later({ destination: "/t", type, source: type, options: ["rprivate", "shared"] }),
      [MountOpt.ON_LAST_MOUNT, MountOpt.ON_LAST_MOUNT],
      type,
    );
  }
  deepStrictEqual(
    later({ destination: "/c", type: "cgroup", options: ["rslave", "rnodev"] }),
    [MountOpt.ON_LAST_MOUNT, MountOpt.ON_LAST_MOUNT],
    "cgroup2: one mount",
  );
  deepStrictEqual(
    later({ destination: "/b", source: "/s", options: ["rbind", "rslave", "ro", "rnodev"] }),
    [MountOpt.ON_LAST_MOUNT, MountOpt.ON_LAST_MOUNT, MountOpt.ON_LAST_MOUNT],
  );
});

Deno.test("mountOps() makes every non-bind filesystem detached (FSMOUNT), proc and sysfs alone checked by magic", () => {
  const first = (type: string, dest = "/m") =>
    mountOps({ destination: dest, type, source: type, options: ["nosuid"] }, 0, ctx)[0];
  for (const type of ["tmpfs", "mqueue", "devpts", "fuse.sshfs", "overlay"]) {
    const op = first(type);
    equal(op.op, "MOUNT_IN_ROOT");
    equal(op.opts! & MountOpt.FSMOUNT, MountOpt.FSMOUNT, type);
    equal(op.opts! & MountOpt.ORDINARY_DIR, 0, type);
    equal(op.num, undefined, type);
    equal(op.fstype, type);
  }
  equal(first("sysfs", "/sys").num, 0x62656572);
  equal(first("proc", "/proc").num, 0x9fa0);
});

Deno.test("mountOps() on a v1 host gives a cgroup tree's recursive attributes its first mount's slot", () => {
  const v1 = { mode: "hybrid" as const, v1: [{ mountpoint: "/sys/fs/cgroup/memory", path: "/c" }] };
  const m: Mount = { destination: "/sys/fs/cgroup", type: "cgroup", options: ["rro"] };
  const ops = mountOps(m, 3, { ...ctx, cgroup: v1 }, 7);
  equal(ops[0].fstype, "tmpfs");
  equal(ops[0].slot, 7);
  deepStrictEqual(ops.at(-1), {
    op: "SETATTR_IN_ROOT",
    step: "mounts[3]",
    target: "/sys/fs/cgroup",
    value: BigInt(MOUNT_ATTR.RDONLY),
    value2: 0n,
    slot: 7,
  });
  equal(ops.filter((o) => o.slot !== undefined).length, 2);
});
