// The seccomp profile of the OCI runtime config (config `linux.seccomp`),
// field names verbatim from the runtime spec; lib/spec/types.ts exports
// them with the rest of the config.
//
// Permissions: none.

/** A condition on a syscall argument (config `linux.seccomp.syscalls[].args[]`). */
export interface SeccompArg {
  /** Which argument, from 0. */
  readonly index: number;
  /** The value to compare with. */
  readonly value: number;
  /** The second value of SCMP_CMP_MASKED_EQ. */
  readonly valueTwo?: number;
  /** The comparison, e.g. SCMP_CMP_EQ. */
  readonly op: string;
}

/** A rule of a seccomp profile (config `linux.seccomp.syscalls[]`). */
export interface SeccompSyscall {
  /** The syscalls it applies to. */
  readonly names: readonly string[];
  /** What happens, e.g. SCMP_ACT_ERRNO. */
  readonly action: string;
  /** The errno of SCMP_ACT_ERRNO (EPERM when absent). */
  readonly errnoRet?: number;
  /** Conditions on arguments, all of which must hold. */
  readonly args?: readonly SeccompArg[];
}

/** A seccomp profile (config `linux.seccomp`). */
export interface Seccomp {
  /** What happens to syscalls no rule names. */
  readonly defaultAction: string;
  /** The errno of a default SCMP_ACT_ERRNO. */
  readonly defaultErrnoRet?: number;
  /** SCMP_ARCH_* names the profile covers. */
  readonly architectures?: readonly string[];
  /** SECCOMP_FILTER_FLAG_* names. */
  readonly flags?: readonly string[];
  /** A unix socket that receives the SCMP_ACT_NOTIFY listener fd. */
  readonly listenerPath?: string;
  /** Opaque data sent with the listener fd. */
  readonly listenerMetadata?: string;
  /** The rules. */
  readonly syscalls?: readonly SeccompSyscall[];
}
