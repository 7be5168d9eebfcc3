import { deepStrictEqual, equal, throws } from "node:assert/strict";
import {
  checkProcMount,
  cleanPath,
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

Deno.test("cleanPath() cleans lexically and never leaves /", () => {
  equal(cleanPath("/a/./b/../c/"), "/a/c");
  equal(cleanPath("/../../etc"), "/etc");
  equal(cleanPath("/"), "/");
  equal(cleanPath("dev//pts"), "/dev/pts");
});

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
  equal(tmp.opts! & (MountOpt.ORDINARY_DIR | MountOpt.FSMOUNT), 0);
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
      opts: MountOpt.MKDIR | MountOpt.NOT_ON_PROCFS,
    },
    {
      op: "MOUNT_IN_ROOT",
      step: "mounts[2]",
      target: "/dev/pts",
      flags: MS.SHARED | MS.REC,
      opts: 0,
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
  deepStrictEqual(finalizeMountOps({ ociVersion: "1", mounts }), [
    { op: "REMOUNT", step: "mounts[0]", target: "/run", flags: MS.NOSUID | MS.RDONLY },
    { op: "REMOUNT", step: "mounts[1]", target: "/dev", flags: MS.RDONLY },
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
  deepStrictEqual(finalizeMountOps({ ociVersion: "1.2.0", mounts: [tmpfs] }).map((o) => o.op), [
    "SETATTR_IN_ROOT",
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
    opts: MountOpt.MKDIR | MountOpt.NOT_ON_PROCFS,
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
    opts: MountOpt.MKDIR,
  });
});

Deno.test("mountOps() reads type 'bind' without a bind option as a plain bind", () => {
  const ops = mountOps({ destination: "/x", type: "bind", source: "/y", options: ["ro"] }, 0, ctx);
  deepStrictEqual(ops.map((o) => [o.fstype, o.flags]), [
    ["bind", MS.BIND],
    [undefined, MS.RDONLY | MS.BIND | MS.REMOUNT],
  ]);
});

Deno.test("mountOps(): a mount's later operations act on its kept fd only where the init keeps one", () => {
  const later = (m: Mount) =>
    mountOps(m, 0, ctx).slice(1).map((o) => (o.opts ?? 0) & MountOpt.ON_LAST_MOUNT);
  // proc is made by fsmount (its fd kept); a tmpfs by mount(2), resolved again.
  deepStrictEqual(
    later({ destination: "/proc", type: "proc", source: "proc", options: ["rprivate"] }),
    [
      MountOpt.ON_LAST_MOUNT,
    ],
  );
  deepStrictEqual(
    later({ destination: "/t", type: "tmpfs", source: "tmpfs", options: ["rprivate"] }),
    [0],
  );
  deepStrictEqual(
    later({ destination: "/b", source: "/s", options: ["rbind", "rslave", "ro", "rnodev"] }),
    [MountOpt.ON_LAST_MOUNT, MountOpt.ON_LAST_MOUNT, MountOpt.ON_LAST_MOUNT],
  );
});
