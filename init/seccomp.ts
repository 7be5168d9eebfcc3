// The seccomp part of the plan: where the compiled program is loaded. As
// runc's standard init: without no_new_privs, loading a filter needs
// CAP_SYS_ADMIN, so it happens before finalizeNamespace drops capabilities
// ("early"); with no_new_privs it happens as late as possible, after the
// executable lookup, so the profile has to allow as few of runo's own
// syscalls as possible ("late"). The program itself is compiled by the
// caller (lib/seccomp/compile.ts), since that needs libseccomp.
//
// Permissions: none.

import type { DraftOp } from "../lib/bootstrap/plan.ts";
import type { Seccomp } from "../lib/spec/types.ts";
import { ConfigError } from "../lib/spec/config_error.ts";

/** A compiled filter: what the SECCOMP operation loads. */
export interface SeccompProgram {
  /** struct sock_filter[], 8 bytes per instruction. */
  readonly bpf: Uint8Array;
  /** SECCOMP_FILTER_FLAG_* for seccomp(2). */
  readonly flags: number;
  /** The filter has SCMP_ACT_NOTIFY rules (flags hold NEW_LISTENER). */
  readonly notify: boolean;
}

/** BPF_MAXINSNS: the kernel refuses longer classic programs. */
const MAX_INSNS = 4096;

/**
 * The SECCOMP operation for `slot`, or none: the config's filter is loaded
 * early without no_new_privs and late with it.
 */
export function seccompOps(
  config: Seccomp | undefined,
  program: SeccompProgram | undefined,
  noNewPrivs: boolean,
  slot: "early" | "late",
): DraftOp[] {
  if (!config) return [];
  if (!program) {
    throw new ConfigError("/linux/seccomp", "The seccomp profile was not compiled");
  }
  if (program.bpf.length === 0 || program.bpf.length % 8 !== 0) {
    throw new ConfigError(
      "/linux/seccomp",
      `Compiled seccomp program has ${program.bpf.length} bytes`,
    );
  }
  if (program.bpf.length / 8 > MAX_INSNS) {
    throw new ConfigError(
      "/linux/seccomp",
      `The seccomp profile compiles to ${
        program.bpf.length / 8
      } BPF instructions; the kernel takes at most ${MAX_INSNS}`,
    );
  }
  if ((slot === "late") !== noNewPrivs) return [];
  return [{ op: "SECCOMP", bytes: program.bpf, flags: program.flags }];
}
