// The setns init as a plan: what runc's setns_init_linux.go (with
// finalizeNamespace from init_linux.go) does for `exec`, as a table of
// named steps. Stage 1 has already joined every namespace of the container
// (user first, mount included) and stage 2 runs in its pid namespace as a
// session leader; this plan turns it into the exec'd process.
//
// Order, against runc's setnsInit.Init:
//   jail              no mount namespace: chroot into the container's root
//                     (runc leaves the process in the host's root)
//   setRoot           then the container's root, for the paths the init resolves
//                     in it (the ptmx, the cwd), never following a magic link
//   console           setupConsole (no /dev/console mount) + Setctty
//   noNewPrivs        PR_SET_NO_NEW_PRIVS
//   processLabel      selinux.SetExecLabel
//   rlimits           runc: setupRlimits by the parent right after start
//   closeFds          fds CLOEXEC from 3+preserved, before either filter
//   seccompEarly      InitSeccomp before the caps drop, without NNP
//   finalizeNamespace chdir, bounding set, keepcaps, user, caps
//   apparmor          apparmor.ApplyProfile (takes effect at execve)
//   lookupExec        exec.LookPath
//   seccompLate       InitSeccomp as late as possible, with NNP
//   finish            close the init pipe, execve
//
// Permissions: none.

import type { Process, Spec } from "../lib/spec/types.ts";
import type { DraftOp, Plan, PlanOp } from "../lib/bootstrap/plan.ts";
import { consoleOps } from "./console.ts";
import type { SeccompProgram } from "./seccomp.ts";
import {
  closeFdsOps,
  finalizeNamespaceOps,
  lookupExecOps,
  noNewPrivsOps,
  prepareEnv,
  processRlimitOps,
  seccompStepOps,
} from "./process_steps.ts";
import { apparmorOps, selinuxExecOps } from "./lsm.ts";
import type { LsmFacts } from "../lib/bootstrap/host_facts.ts";
import { memoryPolicyOps } from "./memory_policy.ts";
import { ConfigError } from "../lib/spec/config_error.ts";

export interface SetnsInitInput {
  /** The container's config (seccomp profile, namespaces). */
  readonly spec: Spec;
  /** The process to run, container defaults already merged (exec_process.ts). */
  readonly process: Process;
  /** The init's fd of the console socket, exactly when process.terminal. */
  readonly consoleSocketFd?: number;
  /** How many fds after stdio the process inherits (--preserve-fds). */
  readonly preservedFds: number;
  /** HOME from the container's /etc/passwd, used when process.env has none. */
  readonly home?: string;
  /** The container's user namespace denies setgroups(2): then no SETGROUPS. */
  readonly setgroupsDeny?: boolean;
  /** linux.seccomp compiled to BPF (lib/seccomp/compile.ts), when the config has one. */
  readonly seccomp?: SeccompProgram;
  /** Which LSMs the host has enabled. */
  readonly lsm: LsmFacts;
  /** The host's /proc/sys/kernel/cap_last_cap, read by runo (never the container's). */
  readonly capLastCap: number;
  /** The host's online NUMA nodes (linux.memoryPolicy); unknown when absent. */
  readonly numaNodes?: readonly number[];
  /**
   * The container has no mount namespace of its own: its root to chroot
   * into first, so that the process sees the container's files, not the
   * host's as it would under runc. `fd` is the init's fd of that directory
   * (opened by runo from /proc/<init>/root while the init's pidfd proved
   * the pid the init's); `path` names it in errors.
   */
  readonly jail?: { readonly path: string; readonly fd: number };
}

interface Ctx {
  readonly input: SetnsInitInput;
  readonly process: Process;
  /** The config with the exec'd process in place of its own (for lsm.ts). */
  readonly spec: Spec;
  readonly env: readonly string[];
}

type Draft = DraftOp;
type StepFn = (c: Ctx) => Draft[];

function console(c: Ctx): Draft[] {
  return consoleOps(c.process, c.input.consoleSocketFd, false, "console");
}

/** As go-selinux's SetExecLabel, a no-op on a host without SELinux. */
function processLabel(c: Ctx): Draft[] {
  return selinuxExecOps(c.spec, c.input.lsm);
}

/**
 * A notify listener goes to linux.seccomp.listenerPath as at create
 * (lib/container/exec.ts hands it over, as runc's setnsProcess does).
 */
function seccomp(slot: "early" | "late"): StepFn {
  return (c) => seccompStepOps(c.spec, c.process, c.input.seccomp, slot);
}

/** The standard init's, then the process's umask (the standard init sets it in finalizeRootfs). */
function finalizeNamespace(c: Ctx): Draft[] {
  const { capLastCap, setgroupsDeny } = c.input;
  const umask = c.process.user.umask;
  return [
    ...finalizeNamespaceOps(c.process, { capLastCap, setgroupsDeny }),
    ...(umask !== undefined ? [{ op: "UMASK", mode: umask } as const] : []),
  ];
}

/** Written before execve, it applies to the exec'd program. */
function apparmor(c: Ctx): Draft[] {
  return apparmorOps(c.spec, c.input.lsm);
}

function finish(c: Ctx): Draft[] {
  return [
    { op: "CLOSE_INIT_PIPE" },
    { op: "EXEC", args: c.process.args ?? [], env: c.env },
  ];
}

function jail(c: Ctx): Draft[] {
  const jail = c.input.jail;
  return jail === undefined ? [] : [{ op: "CHROOT", target: jail.path, fd: jail.fd }];
}

/** The setns init, step by step (names appear in operations' `step`). */
export const STEPS: readonly (readonly [string, StepFn])[] = [
  ["jail", jail],
  // After setns(mnt) or the jail, "/" is the container's root.
  ["setRoot", () => [{ op: "SET_ROOT", target: "/" }]],
  ["console", console],
  ["noNewPrivs", (c) => noNewPrivsOps(c.process)],
  ["processLabel", processLabel],
  // runc's setns init too: the exec'd process gets the container's policy.
  ["memoryPolicy", (c) => memoryPolicyOps(c.input.spec.linux?.memoryPolicy, c.input.numaNodes)],
  ["rlimits", (c) => processRlimitOps(c.process)],
  ["closeFds", (c) => closeFdsOps(c.input.preservedFds)],
  ["seccompEarly", seccomp("early")],
  ["finalizeNamespace", finalizeNamespace],
  ["apparmor", apparmor],
  ["lookupExec", (c) => lookupExecOps(c.process, c.env)],
  ["seccompLate", seccomp("late")],
  ["finish", finish],
];

/** Plans the exec of `input.process` inside a running container. */
export function setnsInitPlan(input: SetnsInitInput): Plan {
  const process = input.process;
  if (!process.args || process.args.length === 0) {
    throw new ConfigError("/args", "exec needs the program to run");
  }
  const c: Ctx = {
    input,
    process,
    spec: { ...input.spec, process },
    env: prepareEnv(process.env ?? [], input.home),
  };
  return STEPS.flatMap(([name, fn]) => fn(c).map((d): PlanOp => ({ ...d, step: d.step ?? name })));
}
