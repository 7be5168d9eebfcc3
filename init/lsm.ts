// Linux security module labels: process.apparmorProfile, process.selinuxLabel
//. As runc: an AppArmor profile is applied by writing
// "exec <profile>" to the process's attr file, so it takes effect at the
// next execve (the container process); a requested profile on a host
// without AppArmor is an error (runc: "apparmor profile was requested but
// AppArmor is not enabled"). SELinux labels are applied only when SELinux
// is enabled and silently ignored otherwise, as runc's selinux package does.
//
// Permissions: none.

import type { Spec } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { ConfigError } from "../lib/spec/config_error.ts";

/** What the host has, probed by the caller. */
export interface LsmFacts {
  /** /sys/module/apparmor/parameters/enabled reads "Y". */
  readonly apparmor: boolean;
  /** The host has /proc/self/attr/apparmor/ (Linux ≥ 5.8, stacking-aware). */
  readonly apparmorAttrDir?: boolean;
  /** selinuxfs is mounted (/sys/fs/selinux). */
  readonly selinux: boolean;
}

/** runc's apparmor.ApplyProfile: the exec attr, stacking-aware path first. */
export function apparmorOps(spec: Spec, lsm: LsmFacts): Omit<PlanOp, "step">[] {
  const profile = spec.process?.apparmorProfile;
  if (!profile) return [];
  if (!lsm.apparmor) {
    throw new ConfigError(
      "/process/apparmorProfile",
      `AppArmor profile "${profile}" was requested but AppArmor is not enabled on this host`,
    );
  }
  const target = lsm.apparmorAttrDir ? "/proc/self/attr/apparmor/exec" : "/proc/self/attr/exec";
  return [{ op: "WRITE_FILE", target, data: `exec ${profile}` }];
}

/** runc's selinux.SetExecLabel, a no-op without SELinux. */
export function selinuxExecOps(spec: Spec, lsm: LsmFacts): Omit<PlanOp, "step">[] {
  const label = spec.process?.selinuxLabel;
  if (!label || !lsm.selinux) return [];
  return [{ op: "WRITE_FILE", target: "/proc/self/attr/exec", data: label }];
}
