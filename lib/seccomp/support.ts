// Whether this host can carry out a profile's actions and flags, asked
// before the container is made so that a refusal names the field and the
// feature missing (runtime spec: every action and flag it lists, or an
// error): libseccomp must know an action to compile a rule with it, the
// kernel must have it (SECCOMP_GET_ACTION_AVAIL) and take each filter flag
// (probed as libseccomp does, loading nothing). Pure: the probes are given.
//
// Permissions: none.

import type { Seccomp } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";
import { ACTION_BASE, FILTER_FLAGS, FLAG_NEW_LISTENER } from "./profile.ts";

/** The libseccomp release that added each action (its CHANGELOG). */
const ACTION_LIBSECCOMP: Readonly<Record<string, string>> = {
  SCMP_ACT_KILL_PROCESS: "2.4.0",
  SCMP_ACT_LOG: "2.4.0",
  SCMP_ACT_NOTIFY: "2.5.0",
};

/** The kernel release that added each action and flag (seccomp(2)). */
const KERNEL_SINCE: Readonly<Record<string, string>> = {
  SCMP_ACT_KILL_PROCESS: "4.14",
  SCMP_ACT_LOG: "4.14",
  SCMP_ACT_NOTIFY: "5.0",
  SECCOMP_FILTER_FLAG_LOG: "4.14",
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: "4.17",
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: "5.19",
};

export interface SeccompHost {
  /** libseccomp's version ("2.5.4"). */
  readonly libseccomp: string;
  /** The kernel has this SECCOMP_RET_* action. */
  actionAvailable(action: number): boolean;
  /** seccomp(SECCOMP_SET_MODE_FILTER) takes these flags. */
  flagsKnown(flags: number): boolean;
}

function atLeast(version: string, min: string): boolean {
  const a = version.split(".").map(Number), b = min.split(".").map(Number);
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  return true;
}

function checkAction(action: string, pointer: string, host: SeccompHost): void {
  const lib = ACTION_LIBSECCOMP[action];
  if (lib && !atLeast(host.libseccomp, lib)) {
    throw new ConfigError(
      pointer,
      `${action} needs libseccomp ${lib} or later; this host has ${host.libseccomp}`,
    );
  }
  const value = ACTION_BASE[action as keyof typeof ACTION_BASE];
  if (value !== undefined && !host.actionAvailable(value)) {
    throw new ConfigError(
      pointer,
      `${action} is not available in this kernel (Linux ${KERNEL_SINCE[action] ?? "?"} added it)`,
    );
  }
}

/** Throws a ConfigError naming the first action or flag this host lacks. */
export function checkSeccompSupport(s: Seccomp, host: SeccompHost): void {
  checkAction(s.defaultAction, "/linux/seccomp/defaultAction", host);
  (s.syscalls ?? []).forEach((c, i) =>
    checkAction(c.action, `/linux/seccomp/syscalls/${i}/action`, host)
  );
  (s.flags ?? []).forEach((f, i) => {
    const flag = FILTER_FLAGS[f as keyof typeof FILTER_FLAGS];
    if (flag === undefined) return; // the parser refused it already
    // The kernel takes WAIT_KILLABLE_RECV only beside a listener.
    const probe = f === "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" ? flag | FLAG_NEW_LISTENER : flag;
    if (!host.flagsKnown(probe)) {
      throw new ConfigError(
        `/linux/seccomp/flags/${i}`,
        `${f} is not supported by this kernel (Linux ${KERNEL_SINCE[f] ?? "3.17"} added it)`,
      );
    }
  });
}
