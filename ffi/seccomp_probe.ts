// The kernel's seccomp(2) features, probed without installing anything
// (c/seccomp_wrappers.c): an action through SECCOMP_GET_ACTION_AVAIL, a
// filter flag by a load with no program (EFAULT: known, EINVAL: not).
//
// Permissions: --allow-ffi (plus what libnsexec.ts needs to locate it).

import { nsexec } from "./libnsexec.ts";
import { SyscallError } from "./syscall_error.ts";

export function seccompActionAvailable(action: number): boolean {
  const rc = nsexec().runo_seccomp_action_avail(action >>> 0);
  if (rc < 0) throw new SyscallError("seccomp SECCOMP_GET_ACTION_AVAIL", -rc);
  return rc === 1;
}

export function seccompFlagsKnown(flags: number): boolean {
  const rc = nsexec().runo_seccomp_flags_known(flags >>> 0);
  if (rc < 0) throw new SyscallError("seccomp SECCOMP_SET_MODE_FILTER (probe)", -rc);
  return rc === 1;
}
