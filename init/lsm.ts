// Linux security module labels: process.apparmorProfile, process.selinuxLabel
// and linux.mountLabel. As runc: an AppArmor profile is applied by writing
// "exec <profile>" to the process's attr file, so it takes effect at the
// next execve (the container process); a requested profile on a host
// without AppArmor is an error (runc: "apparmor profile was requested but
// AppArmor is not enabled"). A SELinux process label on a host without
// SELinux is an error too (runc 1.1.5 refuses it at validation: "selinux
// label is specified in config, but selinux is disabled or not supported",
// crun fails as well). A mount label there is ignored with a warning, as
// crun does (runc 1.1.5 fails the /dev mount with EINVAL): engines write
// one wherever they would label, and there is nothing to label. With
// SELinux the process label is written to /proc/self/attr/exec before
// seccomp, as runc's SetExecLabel.
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
  // Under the init's verified procfs handle.
  const target = lsm.apparmorAttrDir ? "self/attr/apparmor/exec" : "self/attr/exec";
  return [{ op: "WRITE_FILE", target, data: `exec ${profile}` }];
}

/** runc's selinux.SetExecLabel; a process label without SELinux is refused. */
export function selinuxExecOps(spec: Spec, lsm: LsmFacts): DraftOp[] {
  const label = spec.process?.selinuxLabel;
  const mountLabel = spec.linux?.mountLabel;
  if (!lsm.selinux) {
    if (label) {
      throw new ConfigError(
        "/process/selinuxLabel",
        "A SELinux label is set, but SELinux is disabled or not supported on this host",
      );
    }
    return [];
  }
  if (mountLabel) {
    // context= mount data belongs in the mount planner; not written yet.
    throw new ConfigError("/linux/mountLabel", "SELinux mount labels are not supported yet");
  }
  return label ? [{ op: "WRITE_FILE", target: "self/attr/exec", data: label }] : [];
}

/** What the LSM settings cost without the LSM, as warnings (crun's for mountLabel). */
export function lsmWarnings(spec: Spec, lsm: LsmFacts): string[] {
  if (lsm.selinux || !spec.linux?.mountLabel) return [];
  return [
    "linux.mountLabel is set, but SELinux is disabled or not supported on this host: ignored",
  ];
}
