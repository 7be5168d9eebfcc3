// The standard init as a plan: what runc's standard_init_linux.go (with
// prepareRootfs/finalizeRootfs from rootfs_linux.go and finalizeNamespace
// from init_linux.go) does inside a new container, as a table of named
// steps. The C init carries the plan out in the container's namespaces.
//
// Order, against runc:
//   network           lo of a new network namespace up (runc's setupNetwork)
//   prepareRoot, mounts, devices, ptmx, devSymlinks   runc's prepareRootfs
//   syncReady         procReady; the parent applies cgroup resources and
//                     runs prestart/createRuntime hooks, then sends procRun
//                     (runc's procHooks sync sits at the same point)
//   createContainerHooks   in the container's namespaces, before pivot_root
//                     (runc runs them from prepareRootfs after procHooks)
//   pivotRoot … finalizeRootfs                      rest of prepareRootfs, finalizeRootfs
//   hostname … personality                          as standard_init_linux.go
//   apparmor          after hostname, as runc's ApplyProfile
//   scheduler, ioPriority   runc's setupScheduler, setupIOPriority
//   rlimits           runc sets them from the parent (prlimit) on procReady,
//                     i.e. after personality and before finalizeNamespace
//   closeFds          runc marks fds CLOEXEC in finalizeNamespace, after an
//                     early filter; runo does it before either filter, so a
//                     profile without close_range (engines' older ones) works
//   seccompEarly, finalizeNamespace, lookupExec, seccompLate, finish
//                     (finish runs startContainer hooks between the fifo
//                     wait and execve, as runc's standard init)
// Operations that name container paths after pivotRoot use container paths.
//
// Permissions: none.

import type { Process, Spec } from "../lib/spec/types.ts";
import type { DraftOp, Plan, PlanOp } from "../lib/bootstrap/plan.ts";
import { devicesPlan, devSymlinksOps, needsSetupDev, ptmxOps } from "./devices.ts";
import { MS, PROPAGATION } from "./mount_options.ts";
import { cleanPath, finalizeMountOps, mountsPlan } from "./mounts.ts";
import { underDevSlot } from "./mount_slots.ts";
import { hasNamespace } from "./namespaces.ts";
import { loopbackOps } from "./network.ts";
import { memoryPolicyOps } from "./memory_policy.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { hookOps } from "./hooks.ts";
import { consoleOps } from "./console.ts";
import type { SeccompProgram } from "./seccomp.ts";
import {
  closeFdsOps,
  type FinalizeFacts,
  finalizeNamespaceOps,
  lookupExecOps,
  noNewPrivsOps,
  prepareEnv,
  processRlimitOps,
  seccompStepOps,
} from "./process_steps.ts";
import { ioPriorityOps, schedulerOps } from "./scheduler.ts";
import { apparmorOps, selinuxExecOps } from "./lsm.ts";
import type { HostFacts, LsmFacts } from "../lib/bootstrap/host_facts.ts";

const NO_LSM: LsmFacts = { apparmor: false, selinux: false };

export interface StandardInitInput {
  /** The validated config. */
  readonly spec: Spec;
  /** Absolute bundle directory. */
  readonly bundle: string;
  /** Absolute rootfs directory on the host. */
  readonly rootfs: string;
  /** --no-pivot: MS_MOVE the rootfs onto / and chroot instead of pivot_root. */
  readonly noPivot: boolean;
  /** The init's fd of the exec fifo (O_PATH). */
  readonly execFifoFd: number;
  /** How many fds after stdio the container process inherits (--preserve-fds). */
  readonly preservedFds: number;
  readonly host: HostFacts;
  /** "deny" is written to setgroups (Bootstrap.setgroupsDeny): then no SETGROUPS. */
  readonly setgroupsDeny?: boolean;
  /**
   * HOME of process.user from the container's /etc/passwd, added to the
   * environment when process.env has none (runc's prepareEnv); the caller
   * looks it up, since that reads files.
   */
  readonly home?: string;
  /** linux.seccomp compiled to BPF (lib/seccomp/compile.ts), when the config has one. */
  readonly seccomp?: SeccompProgram;
  /**
   * The init's fd of the file the parent fills with the state JSON for the
   * createContainer and startContainer hooks (lib/hooks); without it those
   * hooks are not planned.
   */
  readonly hookStateFd?: number;
  /** The init's fd of the console socket; given exactly when process.terminal. */
  readonly consoleSocketFd?: number;
  /** Mount index → the init's fd of the tree the parent made for it (init/idmapped_mounts.ts). */
  readonly treeFds?: ReadonlyMap<number, number>;
}

/** An operation before its step name is filled in. */
type Draft = DraftOp;

interface Ctx {
  readonly input: StandardInitInput;
  readonly spec: Spec;
  readonly process: Process;
  /** A user namespace is created or joined, or runo runs in one. */
  readonly userns: boolean;
  /** A mount namespace is created or joined; without one, mounts land in the host's. */
  readonly mountns: boolean;
  readonly setupDev: boolean;
  /** linux.rootfsPropagation as flags, 0 when absent. */
  readonly rootPropagation: number;
  readonly env: readonly string[];
}

const PERSONALITY: Readonly<Record<string, number>> = { LINUX: 0x0000, LINUX32: 0x0008 };

function prepareRoot(c: Ctx): Draft[] {
  const { rootfs, host } = c.input;
  if (!c.mountns) return hostRootfsBind(rootfs);
  // runc's prepareRoot: make every mount a slave (or the configured
  // propagation) so nothing done in the container reaches the host.
  const ops: Draft[] = [{
    op: "MOUNT",
    target: "/",
    flags: c.rootPropagation || MS.SLAVE | MS.REC,
  }];
  if (host.rootfsMountPoint !== undefined) {
    const flags = c.rootPropagation & MS.SLAVE ? MS.SLAVE : MS.PRIVATE;
    ops.push({ op: "MOUNT", target: host.rootfsMountPoint, flags });
  }
  ops.push(
    { op: "MOUNT", source: rootfs, target: rootfs, fstype: "bind", flags: MS.BIND | MS.REC },
    { op: "SET_ROOT", target: rootfs },
  );
  return ops;
}

/**
 * Without a mount namespace the container shares the host's mount table
 * (the spec: it inherits the runtime's namespace). runc then makes the
 * host's / rslave, which changes the host; runo leaves / alone and only
 * binds the rootfs onto itself, private, so that the container's mounts
 * stay under one mount runo removes on delete (lib/container/host_rootfs.ts).
 */
function hostRootfsBind(rootfs: string): Draft[] {
  return [
    { op: "MOUNT", source: rootfs, target: rootfs, fstype: "bind", flags: MS.BIND | MS.REC },
    { op: "MOUNT", target: rootfs, flags: MS.PRIVATE | MS.REC },
    { op: "SET_ROOT", target: rootfs },
  ];
}

function mounts(c: Ctx): Draft[] {
  return mountsPlan(c.spec, {
    bundle: c.input.bundle,
    cgroup: c.input.host.cgroup,
    userns: c.userns,
    cgroupns: hasNamespace(c.spec, "cgroup"),
    treeFds: c.input.treeFds,
  });
}

function pivotRoot(c: Ctx): Draft[] {
  const { rootfs, noPivot } = c.input;
  // Without a mount namespace pivot_root or MS_MOVE would move the host's
  // root: a chroot jail, as runc's chroot().
  const jail: Draft = !c.mountns
    ? { op: "CHROOT", target: rootfs }
    : noPivot
    ? { op: "MOVE_ROOT", target: rootfs }
    : { op: "PIVOT_ROOT", target: rootfs };
  const ops: Draft[] = [
    // runc's msMoveRoot: MS_MOVE and chroot leave the host's mounts
    // reachable, and a full procfs or sysfs among them would let a process
    // in a new user namespace mount a fresh one.
    ...(c.mountns && noPivot
      ? (c.input.host.pseudoMounts ?? []).map((target): Draft => ({ op: "HIDE_MOUNT", target }))
      : []),
    jail,
    // "In root" paths from here on resolve against the new /.
    { op: "SET_ROOT", target: "/" },
  ];
  // runc applies shared/unbindable root propagation only after the pivot,
  // so that it does not reach the host through the old root.
  const p = c.rootPropagation;
  if (p !== 0 && (p & (MS.PRIVATE | MS.SLAVE)) === 0) {
    ops.push({ op: "MOUNT", target: "/", flags: p });
  }
  // runc creates the cwd (0755) once inside the new root.
  ops.push({ op: "MKDIR_IN_ROOT", target: c.process.cwd, mode: 0o755 });
  return ops;
}

function finalizeRootfs(c: Ctx): Draft[] {
  const ops: Draft[] = finalizeMountOps(c.spec);
  if (c.spec.root?.readonly) ops.push({ op: "REMOUNT", target: "/", flags: MS.RDONLY });
  ops.push({ op: "UMASK", mode: c.process.user.umask ?? 0o022 });
  return ops;
}

function hostname(c: Ctx): Draft[] {
  const ops: Draft[] = [];
  if (c.spec.hostname) ops.push({ op: "SETHOSTNAME", step: "hostname", data: c.spec.hostname });
  if (c.spec.domainname) {
    ops.push({ op: "SETDOMAINNAME", step: "domainname", data: c.spec.domainname });
  }
  if (ops.length > 0 && !hasNamespace(c.spec, "uts")) {
    const field = c.spec.hostname ? "hostname" : "domainname";
    throw new ConfigError(`/${field}`, `Cannot set the ${field} without a UTS namespace`);
  }
  return ops;
}

/** Written through the init's verified procfs handle, never the container's /proc. */
function sysctl(c: Ctx): Draft[] {
  return Object.entries(c.spec.linux?.sysctl ?? {}).map(([key, value]) => ({
    op: "WRITE_FILE",
    target: `sys/${key.replaceAll(".", "/")}`,
    data: value,
  }));
}

function readonlyPaths(c: Ctx): Draft[] {
  return (c.spec.linux?.readonlyPaths ?? []).map((target) => ({ op: "READONLY_PATH", target }));
}

function maskedPaths(c: Ctx): Draft[] {
  // runc skips duplicates (by clean path).
  const seen = new Set<string>();
  return (c.spec.linux?.maskedPaths ?? []).flatMap((target) => {
    if (seen.has(cleanPath(target))) return [];
    seen.add(cleanPath(target));
    return [{ op: "MASK_PATH", target }];
  });
}

function personality(c: Ctx): Draft[] {
  const p = c.spec.linux?.personality;
  if (!p) return [];
  if (!Object.hasOwn(PERSONALITY, p.domain)) {
    throw new ConfigError("/linux/personality/domain", `Unknown personality "${p.domain}"`);
  }
  return [{ op: "PERSONALITY", num: PERSONALITY[p.domain] }];
}

/** Without no_new_privs runc loads seccomp here, while still privileged. */
function seccompEarly(c: Ctx): Draft[] {
  const { spec, input, process } = c;
  return [
    // runc's selinux.SetExecLabel sits just before; a no-op without SELinux.
    ...selinuxExecOps(spec, input.host.lsm ?? NO_LSM),
    ...seccompStepOps(spec, process, input.seccomp, "early"),
  ];
}

function finalizeFacts(c: Ctx): FinalizeFacts {
  return { capLastCap: c.input.host.capLastCap, setgroupsDeny: c.input.setgroupsDeny };
}

function finish(c: Ctx): Draft[] {
  const { execFifoFd } = c.input;
  return [
    { op: "CLOSE_INIT_PIPE" },
    { op: "FIFO_WAIT", fd: execFifoFd },
    ...initHooks(c, "startContainer"),
    { op: "EXEC", args: c.process.args ?? [], env: c.env },
  ];
}

/** The hooks the spec runs inside the container, as RUN_HOOK operations. */
function initHooks(c: Ctx, phase: "createContainer" | "startContainer"): Draft[] {
  const fd = c.input.hookStateFd;
  return fd === undefined ? [] : hookOps(c.spec.hooks, phase, fd);
}

type StepFn = (c: Ctx) => Draft[];
const when = (cond: (c: Ctx) => boolean, fn: StepFn): StepFn => (c) => cond(c) ? fn(c) : [];
const setupDev = (c: Ctx) => c.setupDev;

/** The standard init, step by step (names appear in operations' `step`). */
export const STEPS: readonly (readonly [string, StepFn])[] = [
  ["network", (c) => loopbackOps(c.spec)],
  ["prepareRoot", prepareRoot],
  ["mounts", mounts],
  ["devices", when(setupDev, (c) => devicesPlan(c.spec, c.userns))],
  ["ptmx", when(setupDev, ptmxOps)],
  ["devSymlinks", when(setupDev, (c) => devSymlinksOps(c.input.host.kcoreExists))],
  ["syncReady", () => [{ op: "SYNC_READY" }]],
  ["createContainerHooks", (c) => initHooks(c, "createContainer")],
  ["pivotRoot", pivotRoot],
  // runc: after prepareRootfs, before finalizeRootfs; the slave is also
  // bound onto /dev/console.
  ["console", (c) => consoleOps(c.process, c.input.consoleSocketFd, true, "console")],
  ["finalizeRootfs", finalizeRootfs],
  ["hostname", hostname],
  ["apparmor", (c) => apparmorOps(c.spec, c.input.host.lsm ?? NO_LSM)],
  ["sysctl", sysctl],
  ["readonlyPaths", readonlyPaths],
  ["maskedPaths", maskedPaths],
  ["noNewPrivs", (c) => noNewPrivsOps(c.process)],
  ["personality", personality],
  ["memoryPolicy", (c) => memoryPolicyOps(c.spec.linux?.memoryPolicy, c.input.host.numaNodes)],
  ["scheduler", (c) => schedulerOps(c.process.scheduler)],
  ["ioPriority", (c) => ioPriorityOps(c.process.ioPriority)],
  ["rlimits", (c) => processRlimitOps(c.process)],
  ["closeFds", (c) => closeFdsOps(c.input.preservedFds)],
  ["seccompEarly", seccompEarly],
  ["finalizeNamespace", (c) => finalizeNamespaceOps(c.process, finalizeFacts(c))],
  ["lookupExec", (c) => lookupExecOps(c.process, c.env)],
  // With no_new_privs runc loads seccomp here, as late as possible.
  ["seccompLate", (c) => seccompStepOps(c.spec, c.process, c.input.seccomp, "late")],
  ["finish", finish],
];

function context(input: StandardInitInput): Ctx {
  const { spec } = input;
  const process = spec.process;
  if (!process) throw new ConfigError("/process", "The standard init needs a process");
  if (!process.args || process.args.length === 0) {
    throw new ConfigError("/process/args", "process.args must name the program to run");
  }
  const mountns = hasNamespace(spec, "mount");
  const prop = spec.linux?.rootfsPropagation;
  if (prop !== undefined && !Object.hasOwn(PROPAGATION, prop)) {
    throw new ConfigError("/linux/rootfsPropagation", `Unknown propagation "${prop}"`);
  }
  if (prop !== undefined && !mountns) {
    // It would be applied to the host's root mount.
    throw new ConfigError(
      "/linux/rootfsPropagation",
      "unable to set the rootfs propagation without a private mount namespace",
    );
  }
  const rootPropagation = prop === undefined ? 0 : PROPAGATION[prop];
  if (input.noPivot && rootPropagation & MS.PRIVATE) {
    throw new ConfigError(
      "/linux/rootfsPropagation",
      `"${prop}" is not safe without pivot_root (runc refuses it too)`,
    );
  }
  return {
    input,
    spec,
    process,
    userns: hasNamespace(spec, "user") || input.host.inUserNs === true,
    mountns,
    setupDev: needsSetupDev(spec),
    rootPropagation,
    env: prepareEnv(process.env ?? [], input.home),
  };
}

/**
 * Plans the standard init for a validated config. What is made under /dev
 * after the /dev mount is resolved inside that mount (underDevSlot).
 */
export function standardInitPlan(input: StandardInitInput): Plan {
  const c = context(input);
  return underDevSlot(
    STEPS.flatMap(([name, fn]) => fn(c).map((d): PlanOp => ({ ...d, step: d.step ?? name }))),
  );
}
