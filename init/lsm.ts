// Linux security module labels: process.apparmorProfile, process.selinuxLabel
// and linux.mountLabel. As runc: an AppArmor profile is applied by writing
// "exec <profile>" to the process's attr file, so it takes effect at the
// next execve (the container process); a requested profile on a host
// without AppArmor is an error (runc: "apparmor profile was requested but
// AppArmor is not enabled"). A SELinux label on a host without SELinux is
// an error too: runc 1.1.5 refuses a process label at validation ("selinux
// label is specified in config, but selinux is disabled or not supported")
// and fails the /dev mount with EINVAL for a mount label; crun fails as
// well (checked here). With SELinux the process label is written to
// /proc/self/attr/exec before seccomp, as runc's SetExecLabel.
//
// Permissions: none.

import type { Spec } from "../lib/spec/types.ts";
import type { DraftOp } from "../lib/bootstrap/plan.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import type { LsmFacts } from "../lib/bootstrap/host_facts.ts";

/** runc's apparmor.ApplyProfile: the exec attr, stacking-aware path first. */
export function apparmorOps(spec: Spec, lsm: LsmFacts): DraftOp[] {
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

/** runc's selinux.SetExecLabel; labels without SELinux are refused. */
export function selinuxExecOps(spec: Spec, lsm: LsmFacts): DraftOp[] {
  const label = spec.process?.selinuxLabel;
  const mountLabel = spec.linux?.mountLabel;
  if (!lsm.selinux) {
    const pointer = label ? "/process/selinuxLabel" : mountLabel ? "/linux/mountLabel" : "";
    if (pointer) {
      throw new ConfigError(
        pointer,
        "A SELinux label is set, but SELinux is disabled or not supported on this host",
      );
    }
    return [];
  }
  if (mountLabel) {
    // context= mount data belongs in the mount planner; not written yet.
    throw new ConfigError("/linux/mountLabel", "SELinux mount labels are not supported yet");
  }
  return label ? [{ op: "WRITE_FILE", target: "/proc/self/attr/exec", data: label }] : [];
}
