// The container process of the OCI runtime config (config `process`),
// field names verbatim from the runtime spec; lib/spec/types.ts exports
// them with the rest of the config.
//
// Permissions: none.

/** The container process (config `process`). */
export interface Process {
  /** Give the process a pseudo-terminal (needs a console socket). */
  readonly terminal?: boolean;
  /** The terminal's size in characters. */
  readonly consoleSize?: { readonly height: number; readonly width: number };
  /** The user and groups the process runs as. */
  readonly user: User;
  /** The program and its arguments (execvp semantics on the container's PATH). */
  readonly args?: readonly string[];
  /** The command line as one string (Windows only; ignored here). */
  readonly commandLine?: string;
  /** The environment, as KEY=value strings. */
  readonly env?: readonly string[];
  /** The working directory, absolute, inside the container. */
  readonly cwd: string;
  /** The capability sets of the process. */
  readonly capabilities?: Capabilities;
  /** Resource limits (setrlimit(2)). */
  readonly rlimits?: readonly Rlimit[];
  /** Set PR_SET_NO_NEW_PRIVS: execve cannot gain privileges. */
  readonly noNewPrivileges?: boolean;
  /** The AppArmor profile to apply. */
  readonly apparmorProfile?: string;
  /** The process's oom_score_adj. */
  readonly oomScoreAdj?: number;
  /** The SELinux label of the process. */
  readonly selinuxLabel?: string;
  /** The I/O priority (ioprio_set(2)). */
  readonly ioPriority?: IoPriority;
  /** The scheduling policy and attributes (sched_setattr(2)). */
  readonly scheduler?: Scheduler;
  /** CPU affinity of the process while it starts. */
  readonly execCPUAffinity?: ExecCPUAffinity;
}

/** CPU lists ("0-3,7") for the process before and after it enters the cgroup. */
export interface ExecCPUAffinity {
  /** Affinity before the process joins the container's cgroup. */
  readonly initial?: string;
  /** Affinity after it joined, for the container program. */
  readonly final?: string;
}

/** A process's user (config `process.user`). */
export interface User {
  /** The user id, in the container's user namespace. */
  readonly uid: number;
  /** The group id, in the container's user namespace. */
  readonly gid: number;
  /** The umask; 0022 when absent. */
  readonly umask?: number;
  /** Supplementary group ids. */
  readonly additionalGids?: readonly number[];
  /** The user name (Windows only; ignored here). */
  readonly username?: string;
}

/** Capability sets, as CAP_* names (config `process.capabilities`). */
export interface Capabilities {
  /** The bounding set. */
  readonly bounding?: readonly string[];
  /** The effective set. */
  readonly effective?: readonly string[];
  /** The inheritable set. */
  readonly inheritable?: readonly string[];
  /** The permitted set. */
  readonly permitted?: readonly string[];
  /** The ambient set. */
  readonly ambient?: readonly string[];
}

/** One resource limit (config `process.rlimits[]`). */
export interface Rlimit {
  /** The limit's name, e.g. RLIMIT_NOFILE. */
  readonly type: string;
  /** The soft (current) limit. */
  readonly soft: number;
  /** The hard (maximum) limit. */
  readonly hard: number;
}

/** An I/O priority (config `process.ioPriority`). */
export interface IoPriority {
  /** IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE. */
  readonly class: string;
  /** The priority within the class, 0 (highest) to 7. */
  readonly priority: number;
}

/** A scheduling policy (config `process.scheduler`). */
export interface Scheduler {
  /** SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE or SCHED_DEADLINE. */
  readonly policy: string;
  /** The nice value for SCHED_OTHER and SCHED_BATCH. */
  readonly nice?: number;
  /** The static priority for SCHED_FIFO and SCHED_RR. */
  readonly priority?: number;
  /** SCHED_FLAG_* names. */
  readonly flags?: readonly string[];
  /** SCHED_DEADLINE runtime, in nanoseconds. */
  readonly runtime?: number;
  /** SCHED_DEADLINE deadline, in nanoseconds. */
  readonly deadline?: number;
  /** SCHED_DEADLINE period, in nanoseconds. */
  readonly period?: number;
}
