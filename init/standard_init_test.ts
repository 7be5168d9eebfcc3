import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { type StandardInitInput, standardInitPlan, STEPS } from "./standard_init.ts";
import { DEFAULT_PATH } from "./process_steps.ts";
import { MS } from "./mount_options.ts";
import { RLIMITS } from "./rlimits.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import type { Spec } from "../lib/spec/types.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { encodeBootstrap } from "../lib/bootstrap/encode.ts";

const baseSpec: Spec = {
  ociVersion: "1.2.0",
  root: { path: "rootfs" },
  process: {
    user: { uid: 0, gid: 0 },
    args: ["sh"],
    env: ["PATH=/bin:/usr/bin", "TERM=xterm"],
    cwd: "/",
  },
  linux: { namespaces: [{ type: "mount" }, { type: "pid" }, { type: "uts" }] },
};

function input(
  spec: Partial<Spec> = {},
  extra: Partial<StandardInitInput> = {},
): StandardInitInput {
  return {
    spec: { ...baseSpec, ...spec },
    bundle: "/b",
    rootfs: "/b/rootfs",
    noPivot: false,
    execFifoFd: 5,
    preservedFds: 0,
    host: { kcoreExists: false, capLastCap: 40, cgroup: { mode: "unified" } },
    ...extra,
  };
}

const ops = (plan: readonly PlanOp[]) => plan.map((o) => o.op);
const index = (plan: readonly PlanOp[], op: string) => plan.findIndex((o) => o.op === op);

Deno.test("standardInitPlan() runs prepareRoot first: rslave /, bind rootfs, SET_ROOT", () => {
  const plan = standardInitPlan(input());
  deepStrictEqual(plan.slice(0, 3), [
    { op: "MOUNT", step: "prepareRoot", target: "/", flags: MS.SLAVE | MS.REC },
    {
      op: "MOUNT",
      step: "prepareRoot",
      source: "/b/rootfs",
      target: "/b/rootfs",
      fstype: "bind",
      flags: MS.BIND | MS.REC,
    },
    { op: "SET_ROOT", step: "prepareRoot", target: "/b/rootfs" },
  ]);
});

Deno.test("standardInitPlan() gives proc mount, devices, SYNC_READY, pivot, hostname, EXEC last", () => {
  const plan = standardInitPlan(input({
    hostname: "box",
    mounts: [{
      destination: "/proc",
      type: "proc",
      source: "proc",
      options: ["nosuid", "noexec", "nodev"],
    }],
  }));
  const proc = plan.find((o) => o.step === "mounts[0]");
  deepStrictEqual(proc, {
    op: "MOUNT_IN_ROOT",
    step: "mounts[0]",
    source: "proc",
    target: "/proc",
    fstype: "proc",
    flags: MS.NOSUID | MS.NOEXEC | MS.NODEV,
    opts: MountOpt.MKDIR | MountOpt.ORDINARY_DIR | MountOpt.FSMOUNT,
    num: 0x9fa0,
  });
  const order = [
    "MOUNT_IN_ROOT",
    "MKNOD_IN_ROOT",
    "SYNC_READY",
    "PIVOT_ROOT",
    "SETHOSTNAME",
    "EXEC",
  ]
    .map((op) => index(plan, op));
  deepStrictEqual([...order].sort((a, b) => a - b), order);
  deepStrictEqual(plan.find((o) => o.op === "SETHOSTNAME"), {
    op: "SETHOSTNAME",
    step: "hostname",
    data: "box",
  });
  deepStrictEqual(plan.at(-1), {
    op: "EXEC",
    step: "finish",
    args: ["sh"],
    env: ["PATH=/bin:/usr/bin", "TERM=xterm"],
  });
  equal(index(plan, "MOVE_ROOT"), -1);
});

Deno.test("standardInitPlan() uses MOVE_ROOT with noPivot", () => {
  const plan = standardInitPlan(input({}, { noPivot: true }));
  equal(index(plan, "PIVOT_ROOT"), -1);
  deepStrictEqual(plan[index(plan, "MOVE_ROOT")], {
    op: "MOVE_ROOT",
    step: "pivotRoot",
    target: "/b/rootfs",
  });
  deepStrictEqual(plan[index(plan, "MOVE_ROOT") + 1], {
    op: "SET_ROOT",
    step: "pivotRoot",
    target: "/",
  });
});

Deno.test("standardInitPlan() with noPivot hides the host's full procfs and sysfs first, as runc's msMoveRoot", () => {
  const host = {
    kcoreExists: false,
    capLastCap: 40,
    cgroup: { mode: "unified" } as const,
    pseudoMounts: ["/proc", "/sys"],
  };
  const plan = standardInitPlan(input({}, { noPivot: true, host }));
  const at = index(plan, "MOVE_ROOT");
  deepStrictEqual(plan.slice(at - 2, at).map((o) => [o.op, o.target]), [
    ["HIDE_MOUNT", "/proc"],
    ["HIDE_MOUNT", "/sys"],
  ]);
  // pivot_root detaches the old root with everything on it.
  equal(index(standardInitPlan(input({}, { host })), "HIDE_MOUNT"), -1);
});

Deno.test("standardInitPlan() remounts / read-only after the pivot for root.readonly", () => {
  const plan = standardInitPlan(input({ root: { path: "rootfs", readonly: true } }));
  const i = index(plan, "REMOUNT");
  deepStrictEqual(plan[i], {
    op: "REMOUNT",
    step: "finalizeRootfs",
    target: "/",
    flags: MS.RDONLY,
  });
  equal(i > index(plan, "PIVOT_ROOT"), true);
  deepStrictEqual(plan[i + 1], { op: "UMASK", step: "finalizeRootfs", mode: 0o022 });
  equal(index(standardInitPlan(input()), "REMOUNT"), -1);
});

Deno.test("standardInitPlan() refuses a bind mount on /proc/sys/kernel/core_pattern", () => {
  throws(
    () =>
      standardInitPlan(input({
        mounts: [
          { destination: "/proc", type: "proc" },
          {
            destination: "/proc/sys/kernel/core_pattern",
            type: "bind",
            source: "/x",
            options: ["bind"],
          },
        ],
      })),
    (e: unknown) => e instanceof ConfigError && e.pointer === "/mounts/1/destination",
  );
});

Deno.test("standardInitPlan() sets up /dev: devices, ptmx, symlinks before SYNC_READY", () => {
  const plan = standardInitPlan(input({}, {
    host: { kcoreExists: true, capLastCap: 40, cgroup: { mode: "unified" } },
  }));
  const ready = index(plan, "SYNC_READY");
  const dev = plan.slice(0, ready).filter((o) =>
    ["devices", "ptmx", "devSymlinks"].includes(o.step)
  );
  equal(dev.filter((o) => o.op === "MKNOD_IN_ROOT").length, 6);
  deepStrictEqual(dev.filter((o) => o.op === "SYMLINK_IN_ROOT").map((o) => o.target), [
    "/dev/ptmx",
    "/dev/fd",
    "/dev/stdin",
    "/dev/stdout",
    "/dev/stderr",
    "/dev/core",
  ]);
  const bound = standardInitPlan(input({
    mounts: [{ destination: "/dev", source: "/dev", options: ["rbind"] }],
  }));
  equal(bound.filter((o) => ["devices", "ptmx", "devSymlinks"].includes(o.step)).length, 0);
});

Deno.test("standardInitPlan() binds devices when a user namespace is created", () => {
  const spec = { linux: { namespaces: [{ type: "mount" as const }, { type: "user" as const }] } };
  const plan = standardInitPlan(input(spec));
  equal(index(plan, "MKNOD_IN_ROOT"), -1);
  equal(plan.filter((o) => o.step === "devices" && o.opts === MountOpt.MKFILE).length, 6);
});

Deno.test("standardInitPlan() writes sysctls, ro and masked paths after the pivot", () => {
  const plan = standardInitPlan(input({
    linux: {
      namespaces: [{ type: "mount" }],
      sysctl: { "net.ipv4.ip_forward": "1" },
      readonlyPaths: ["/proc/sys"],
      maskedPaths: ["/proc/kcore", "/proc/kcore/"],
    },
  }));
  const after = plan.slice(index(plan, "PIVOT_ROOT"));
  deepStrictEqual(
    after.filter((o) => ["WRITE_FILE", "READONLY_PATH", "MASK_PATH"].includes(o.op)),
    [
      { op: "WRITE_FILE", step: "sysctl", target: "sys/net/ipv4/ip_forward", data: "1" },
      { op: "READONLY_PATH", step: "readonlyPaths", target: "/proc/sys" },
      { op: "MASK_PATH", step: "maskedPaths", target: "/proc/kcore" },
    ],
  );
});

Deno.test("standardInitPlan() follows runc's finalizeNamespace for user and caps", () => {
  const plan = standardInitPlan(input({
    process: {
      ...baseSpec.process!,
      user: { uid: 1000, gid: 1000, additionalGids: [10], umask: 0o077 },
      capabilities: { bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"] },
      noNewPrivileges: true,
      rlimits: [{ type: "RLIMIT_NOFILE", soft: 1024, hard: 4096 }],
    },
  }));
  const tail = plan.slice(index(plan, "NO_NEW_PRIVS"));
  deepStrictEqual(ops(tail), [
    "NO_NEW_PRIVS",
    "SETRLIMIT",
    "CLOEXEC_FROM",
    "CHDIR",
    "CAP_BOUNDING",
    "KEEPCAPS",
    "SETGROUPS",
    "SETGID",
    "SETUID",
    "KEEPCAPS",
    "CAPSET",
    "CAP_AMBIENT",
    "LOOKUP_EXEC",
    "CLOSE_INIT_PIPE",
    "FIFO_WAIT",
    "EXEC",
  ]);
  deepStrictEqual(tail[1], {
    op: "SETRLIMIT",
    step: "rlimits",
    num: 7,
    value: 1024n,
    value2: 4096n,
  });
  deepStrictEqual(tail[5], { op: "KEEPCAPS", step: "finalizeNamespace", num: 1 });
  deepStrictEqual(tail[6].ids, [10]);
  equal(tail[8].uid, 1000);
  equal(tail[9].num, 0);
  equal(tail[10].effective, 1n << 5n);
  deepStrictEqual(plan.find((o) => o.op === "UMASK" && o.step === "finalizeRootfs")?.mode, 0o077);
});

Deno.test("standardInitPlan() leaves out SETGROUPS when setgroups is denied, sends [] otherwise", () => {
  equal(index(standardInitPlan(input({}, { setgroupsDeny: true })), "SETGROUPS"), -1);
  const plan = standardInitPlan(input());
  deepStrictEqual(plan[index(plan, "SETGROUPS")].ids, []);
  equal(index(plan, "CAPSET"), -1, "no capabilities object: runc leaves caps alone");
});

Deno.test("standardInitPlan() ends with lookup, pipe close, fifo wait, exec", () => {
  const plan = standardInitPlan(input({}, { preservedFds: 2, execFifoFd: 7 }));
  deepStrictEqual(plan.find((o) => o.op === "CLOEXEC_FROM"), {
    op: "CLOEXEC_FROM",
    step: "closeFds",
    num: 5,
  });
  deepStrictEqual(plan.slice(-4), [
    { op: "LOOKUP_EXEC", step: "lookupExec", source: "sh", data: "/bin:/usr/bin" },
    { op: "CLOSE_INIT_PIPE", step: "finish" },
    { op: "FIFO_WAIT", step: "finish", fd: 7 },
    { op: "EXEC", step: "finish", args: ["sh"], env: ["PATH=/bin:/usr/bin", "TERM=xterm"] },
  ]);
  const noPath = standardInitPlan(input({ process: { ...baseSpec.process!, env: [] } }));
  equal(noPath.find((o) => o.op === "LOOKUP_EXEC")?.data, DEFAULT_PATH);
});

Deno.test("standardInitPlan() applies rootfsPropagation before and after the pivot", () => {
  const plan = standardInitPlan(input(
    { linux: { namespaces: [{ type: "mount" }], rootfsPropagation: "rshared" } },
    {
      host: {
        kcoreExists: false,
        capLastCap: 40,
        cgroup: { mode: "unified" },
        rootfsMountPoint: "/b",
      },
    },
  ));
  deepStrictEqual(plan.slice(0, 2), [
    { op: "MOUNT", step: "prepareRoot", target: "/", flags: MS.SHARED | MS.REC },
    { op: "MOUNT", step: "prepareRoot", target: "/b", flags: MS.PRIVATE },
  ]);
  const after = plan.slice(index(plan, "PIVOT_ROOT"));
  deepStrictEqual(after.find((o) => o.op === "MOUNT"), {
    op: "MOUNT",
    step: "pivotRoot",
    target: "/",
    flags: MS.SHARED | MS.REC,
  });
  throws(
    () =>
      standardInitPlan(input(
        { linux: { namespaces: [{ type: "mount" }], rootfsPropagation: "rprivate" } },
        { noPivot: true },
      )),
    /not safe without pivot_root/,
  );
});

Deno.test("standardInitPlan() without a mount namespace binds the rootfs privately and chroots", () => {
  // The spec: an omitted namespace is inherited from the runtime.
  for (const noPivot of [false, true]) {
    const plan = standardInitPlan(input({ linux: { namespaces: [] } }, { noPivot }));
    const jail = plan.filter((o) => ["CHROOT", "PIVOT_ROOT", "MOVE_ROOT"].includes(o.op));
    deepStrictEqual(jail, [{ op: "CHROOT", step: "pivotRoot", target: "/b/rootfs" }]);
    // The host's / is never remounted (runc makes it rslave).
    equal(plan.some((o) => o.op === "MOUNT" && o.target === "/"), false);
    deepStrictEqual(plan.slice(0, 3), [
      {
        op: "MOUNT",
        step: "prepareRoot",
        source: "/b/rootfs",
        target: "/b/rootfs",
        fstype: "bind",
        flags: MS.BIND | MS.REC,
      },
      { op: "MOUNT", step: "prepareRoot", target: "/b/rootfs", flags: MS.PRIVATE | MS.REC },
      { op: "SET_ROOT", step: "prepareRoot", target: "/b/rootfs" },
    ]);
  }
  throws(
    () => standardInitPlan(input({ linux: { namespaces: [], rootfsPropagation: "shared" } })),
    /rootfsPropagation.*without a private mount namespace|without a private mount namespace/,
  );
});

Deno.test("standardInitPlan() refuses configs it cannot carry out", () => {
  throws(
    () => standardInitPlan(input({ hostname: "h", linux: { namespaces: [{ type: "mount" }] } })),
    /UTS namespace/,
  );
  throws(
    () => standardInitPlan(input({ process: { ...baseSpec.process!, args: [] } })),
    /\/process\/args/,
  );
  throws(
    () =>
      standardInitPlan(input({
        process: { ...baseSpec.process!, rlimits: [{ type: "RLIMIT_FOO", soft: 1, hard: 1 }] },
      })),
    /\/process\/rlimits\/0\/type/,
  );
});

Deno.test("standardInitPlan() clamps RLIM_INFINITY to u64 max", () => {
  const plan = standardInitPlan(input({
    process: {
      ...baseSpec.process!,
      rlimits: [{ type: "RLIMIT_CORE", soft: 18446744073709551615, hard: 18446744073709551615 }],
    },
  }));
  const r = plan.find((o) => o.op === "SETRLIMIT");
  equal(r?.num, RLIMITS.RLIMIT_CORE);
  equal(r?.value, (1n << 64n) - 1n);
});

Deno.test("standardInitPlan() names every operation's step after a STEPS entry or a mount", () => {
  const names = new Set(STEPS.map(([n]) => n).concat(["domainname"]));
  const plan = standardInitPlan(input({
    mounts: [{ destination: "/tmp", type: "tmpfs" }],
    domainname: "d",
  }));
  for (const o of plan) equal(names.has(o.step) || /^mounts\[\d+\]$/.test(o.step), true, o.step);
});

Deno.test("standardInitPlan() output encodes as a bootstrap message", () => {
  const plan = standardInitPlan(input({
    hostname: "h",
    mounts: [
      { destination: "/proc", type: "proc" },
      { destination: "/sys/fs/cgroup", type: "cgroup", options: ["ro"] },
    ],
    process: {
      ...baseSpec.process!,
      capabilities: { bounding: ["CAP_CHECKPOINT_RESTORE"], effective: ["CAP_CHECKPOINT_RESTORE"] },
    },
  }));
  const msg = encodeBootstrap({ cloneFlags: 0x20020000, nsPaths: [], logLevel: 1, plan });
  equal(new DataView(msg.buffer).getUint32(0, true), msg.length);
});
