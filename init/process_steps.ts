// The steps both inits end with, which turn the init into the container's
// process: runc's finalizeNamespace (init_linux.go), prepareEnv, the fds
// closed before either seccomp filter, no_new_privs, rlimits, seccomp at
// its two places, and exec.LookPath. standard_init.ts and setns_init.ts
// put them in their STEPS in runc's order for each.
//
// Permissions: none.

import type { Process, Spec } from "../lib/spec/types.ts";
import type { DraftOp } from "../lib/bootstrap/plan.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { boundingOps, capsetOps } from "./capabilities.ts";
import { stdioOwnerOps } from "./console.ts";
import { rlimitOps } from "./rlimits.ts";
import { seccompOps, type SeccompProgram } from "./seccomp.ts";

/** runc's default PATH for the lookup when process.env has none. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** What finalizeNamespace needs besides the process. */
export interface FinalizeFacts {
  /** The host's /proc/sys/kernel/cap_last_cap: capabilities above it are dropped with a warning. */
  readonly capLastCap: number;
  /** The user namespace denies setgroups(2): then no SETGROUPS. */
  readonly setgroupsDeny?: boolean;
}

/**
 * runc's finalizeNamespace and setupUser, in their order: chdir, the
 * bounding set, keepcaps across the uid change, the groups and ids, then
 * the capability sets.
 */
export function finalizeNamespaceOps(process: Process, facts: FinalizeFacts): DraftOp[] {
  const { user, capabilities, cwd } = process;
  const step = "finalizeNamespace";
  return [
    // runc tries the chdir first as root: the container user may lack
    // search permission on a directory root can enter.
    { op: "CHDIR", target: cwd },
    ...boundingOps(capabilities, step, facts.capLastCap),
    { op: "KEEPCAPS", num: 1 },
    ...stdioOwnerOps(process, step),
    ...(facts.setgroupsDeny ? [] : [{ op: "SETGROUPS", ids: user.additionalGids ?? [] } as const]),
    { op: "SETGID", gid: user.gid },
    { op: "SETUID", uid: user.uid },
    { op: "KEEPCAPS", num: 0 },
    ...capsetOps(capabilities, step, facts.capLastCap),
  ];
}

/** exec.LookPath: argv[0] on the last PATH of the prepared environment. */
export function lookupExecOps(process: Process, env: readonly string[]): DraftOp[] {
  const path = [...env].reverse().find((e) => e.startsWith("PATH="))?.slice(5);
  return [{ op: "LOOKUP_EXEC", source: (process.args ?? [])[0], data: path ?? DEFAULT_PATH }];
}

export function noNewPrivsOps(process: Process): DraftOp[] {
  return process.noNewPrivileges ? [{ op: "NO_NEW_PRIVS" }] : [];
}

/** runc sets them from the parent (prlimit); the init sets its own before the exec. */
export function processRlimitOps(process: Process): DraftOp[] {
  return rlimitOps(process.rlimits, "rlimits");
}

/**
 * linux.seccomp at one of its two places: "early" (still privileged, when
 * no_new_privs is off) or "late" (as close to execve as can be, with it).
 */
export function seccompStepOps(
  spec: Spec,
  process: Process,
  program: SeccompProgram | undefined,
  slot: "early" | "late",
): DraftOp[] {
  return seccompOps(spec.linux?.seccomp, program, process.noNewPrivileges === true, slot);
}

/**
 * Nothing but stdio and the preserved fds may reach the container process
 * (CVE-2024-21626: runc's CloseExecFrom). Marked before any seccomp filter,
 * so a profile need not allow close_range (engines' older profiles do not).
 */
export function closeFdsOps(preservedFds: number): DraftOp[] {
  return [{ op: "CLOEXEC_FROM", num: 3 + preservedFds }];
}

/**
 * process.env as runc's prepareEnv leaves it: the last value of each name
 * kept, in place; an empty HOME dropped; HOME added from `home` if unset.
 */
export function prepareEnv(env: readonly string[], home?: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = env.length - 1; i >= 0; i--) {
    const eq = env[i].indexOf("=");
    if (eq <= 0) {
      throw new ConfigError(`/process/env/${i}`, `Invalid environment variable "${env[i]}"`);
    }
    const name = env[i].slice(0, eq);
    if (seen.has(name)) continue;
    seen.add(name);
    if (name === "HOME" && eq === env[i].length - 1) continue;
    out.push(env[i]);
  }
  out.reverse();
  if (home !== undefined && !out.some((e) => e.startsWith("HOME="))) out.push(`HOME=${home}`);
  return out;
}
