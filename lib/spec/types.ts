// The OCI runtime config (config.json), field names verbatim from the
// runtime spec (config.md, config-linux.md). One model: the parser in
// parse.ts turns `unknown` into these readonly types; nothing else builds a
// second shape of the same data.
//
// Permissions: none.

/** An OCI runtime config (config.json), field names verbatim from the runtime spec. */
export interface Spec {
  /** The runtime spec version the config follows. */
  readonly ociVersion: string;
  /** The container's root filesystem. */
  readonly root?: Root;
  /** The container's process; required to create a container. */
  readonly process?: Process;
  /** The hostname in the container's UTS namespace. */
  readonly hostname?: string;
  /** The NIS domain name in the container's UTS namespace. */
  readonly domainname?: string;
  /** Mounts made in the container, in order, after the root. */
  readonly mounts?: readonly Mount[];
  /** Programs run at points of the container's lifecycle. */
  readonly hooks?: Hooks;
  /** Arbitrary metadata, copied into the container's state. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Linux-specific configuration: namespaces, cgroups, devices, seccomp, …. */
  readonly linux?: Linux;
}

/** The root filesystem (config `root`). */
export interface Root {
  /** The rootfs directory, absolute or relative to the bundle. */
  readonly path: string;
  /** Mount the root filesystem read-only. */
  readonly readonly?: boolean;
}

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

/** One mount (config `mounts[]`). */
export interface Mount {
  /** Where to mount, absolute, inside the container. */
  readonly destination: string;
  /** A device, a host path (relative: to the bundle) or a filesystem name. */
  readonly source?: string;
  /** The filesystem type, e.g. proc, tmpfs, bind. */
  readonly type?: string;
  /** mount(8)-style options, e.g. nosuid, ro, rbind. */
  readonly options?: readonly string[];
  /** User id mappings of an idmapped mount. */
  readonly uidMappings?: readonly IdMapping[];
  /** Group id mappings of an idmapped mount. */
  readonly gidMappings?: readonly IdMapping[];
}

/** A range of ids mapped into a user namespace or an idmapped mount. */
export interface IdMapping {
  /** The first id inside. */
  readonly containerID: number;
  /** The first id outside. */
  readonly hostID: number;
  /** How many ids the range holds. */
  readonly size: number;
}

/** A program run as a hook (config `hooks.*[]`). */
export interface Hook {
  /** The program, absolute, in the runtime's namespace. */
  readonly path: string;
  /** Its argv, args[0] included. */
  readonly args?: readonly string[];
  /** Its environment, exactly. */
  readonly env?: readonly string[];
  /** Seconds before it is killed. */
  readonly timeout?: number;
}

/** The lifecycle hooks (config `hooks`); each gets the container's state on stdin. */
export interface Hooks {
  /** Deprecated: after the namespaces exist, before pivot_root, in the runtime's namespaces. */
  readonly prestart?: readonly Hook[];
  /** After the namespaces exist, before pivot_root, in the runtime's namespaces. */
  readonly createRuntime?: readonly Hook[];
  /** Before pivot_root, in the container's namespaces. */
  readonly createContainer?: readonly Hook[];
  /** At start, in the container, just before the program runs. */
  readonly startContainer?: readonly Hook[];
  /** After the program started, in the runtime's namespaces. */
  readonly poststart?: readonly Hook[];
  /** After the container was deleted, in the runtime's namespaces. */
  readonly poststop?: readonly Hook[];
}

/** The namespace types of `linux.namespaces[].type`. */
export const NAMESPACE_TYPES = [
  "pid",
  "network",
  "mount",
  "ipc",
  "uts",
  "user",
  "cgroup",
  "time",
] as const;
/** One of {@linkcode NAMESPACE_TYPES}. */
export type NamespaceType = typeof NAMESPACE_TYPES[number];

/** A namespace the container gets (config `linux.namespaces[]`). */
export interface Namespace {
  /** Which kind. */
  readonly type: NamespaceType;
  /** Join this namespace (a /proc/<pid>/ns/<type> file) instead of a new one. */
  readonly path?: string;
}

/** A device node made in the container (config `linux.devices[]`). */
export interface Device {
  /** c (character), b (block), u (unbuffered character) or p (FIFO). */
  readonly type: "c" | "b" | "u" | "p";
  /** Its path inside the container. */
  readonly path: string;
  /** The major number. */
  readonly major?: number;
  /** The minor number. */
  readonly minor?: number;
  /** Its file mode. */
  readonly fileMode?: number;
  /** Its owner. */
  readonly uid?: number;
  /** Its group. */
  readonly gid?: number;
}

/** A device cgroup rule (config `linux.resources.devices[]`). */
export interface DeviceRule {
  /** Allow (true) or deny (false). */
  readonly allow: boolean;
  /** a (all), c or b. */
  readonly type?: string;
  /** The major number; all when absent. */
  readonly major?: number;
  /** The minor number; all when absent. */
  readonly minor?: number;
  /** Any of r (read), w (write), m (mknod). */
  readonly access?: string;
}

/** cgroup limits (config `linux.resources`, and `runo update`). */
export interface Resources {
  /** Device access rules, applied in order. */
  readonly devices?: readonly DeviceRule[];
  /** Memory limits, in bytes. */
  readonly memory?: {
    readonly limit?: number;
    readonly reservation?: number;
    readonly swap?: number;
    readonly kernel?: number;
    readonly kernelTCP?: number;
    readonly swappiness?: number;
    readonly disableOOMKiller?: boolean;
    readonly useHierarchy?: boolean;
    readonly checkBeforeUpdate?: boolean;
  };
  /** CPU shares, CFS quota and period, cpusets. */
  readonly cpu?: {
    readonly shares?: number;
    readonly quota?: number;
    readonly burst?: number;
    readonly period?: number;
    readonly realtimeRuntime?: number;
    readonly realtimePeriod?: number;
    readonly cpus?: string;
    readonly mems?: string;
    readonly idle?: number;
  };
  /** The maximum number of tasks. */
  readonly pids?: { readonly limit: number };
  /** Block I/O weights and throttles. */
  readonly blockIO?: {
    readonly weight?: number;
    readonly leafWeight?: number;
    readonly weightDevice?: readonly {
      readonly major: number;
      readonly minor: number;
      readonly weight?: number;
      readonly leafWeight?: number;
    }[];
    readonly throttleReadBpsDevice?: readonly ThrottleDevice[];
    readonly throttleWriteBpsDevice?: readonly ThrottleDevice[];
    readonly throttleReadIOPSDevice?: readonly ThrottleDevice[];
    readonly throttleWriteIOPSDevice?: readonly ThrottleDevice[];
  };
  /** Huge-page limits per page size. */
  readonly hugepageLimits?: readonly { readonly pageSize: string; readonly limit: number }[];
  /** net_cls class id and net_prio priorities. */
  readonly network?: {
    readonly classID?: number;
    readonly priorities?: readonly { readonly name: string; readonly priority: number }[];
  };
  /** RDMA limits per device. */
  readonly rdma?: Readonly<
    Record<string, { readonly hcaHandles?: number; readonly hcaObjects?: number }>
  >;
  /** cgroup v2 files and the values to write into them. */
  readonly unified?: Readonly<Record<string, string>>;
}

/** A block I/O throttle of one device. */
export interface ThrottleDevice {
  /** The device's major number. */
  readonly major: number;
  /** The device's minor number. */
  readonly minor: number;
  /** Bytes or operations per second. */
  readonly rate: number;
}

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

/** Linux-specific configuration (config `linux`). */
export interface Linux {
  /** The namespaces to create or join. */
  readonly namespaces?: readonly Namespace[];
  /** User id mappings of a new user namespace. */
  readonly uidMappings?: readonly IdMapping[];
  /** Group id mappings of a new user namespace. */
  readonly gidMappings?: readonly IdMapping[];
  /** Clock offsets of a new time namespace, per clock. */
  readonly timeOffsets?: Readonly<
    Record<string, { readonly secs?: number; readonly nanosecs?: number }>
  >;
  /** Device nodes to make in the container. */
  readonly devices?: readonly Device[];
  /** The container's cgroup path (or systemd slice:prefix:name). */
  readonly cgroupsPath?: string;
  /** cgroup limits. */
  readonly resources?: Resources;
  /** Mount propagation of the rootfs: shared, slave, private, … */
  readonly rootfsPropagation?: string;
  /** The seccomp profile. */
  readonly seccomp?: Seccomp;
  /** Namespaced sysctls to set, by name. */
  readonly sysctl?: Readonly<Record<string, string>>;
  /** Paths made inaccessible in the container. */
  readonly maskedPaths?: readonly string[];
  /** Paths made read-only in the container. */
  readonly readonlyPaths?: readonly string[];
  /** The SELinux context of the container's mounts. */
  readonly mountLabel?: string;
  /** The execution domain (personality(2)). */
  readonly personality?: { readonly domain: string; readonly flags?: readonly string[] };
  /** Intel RDT (resctrl) settings. */
  readonly intelRdt?: IntelRdt;
  /** Host network devices moved into the container's network namespace. */
  readonly netDevices?: Readonly<Record<string, { readonly name?: string }>>;
  /** The NUMA memory policy (set_mempolicy(2)). */
  readonly memoryPolicy?: MemoryPolicy;
}

/** Intel RDT through resctrl (config `linux.intelRdt`). */
export interface IntelRdt {
  /** The resctrl group (CLOS) to join; the container id when absent. */
  readonly closID?: string;
  /** Lines written to the group's schemata file. */
  readonly schemata?: readonly string[];
  /** The L3 cache line ("L3:0=ff;1=c0"). */
  readonly l3CacheSchema?: string;
  /** The memory bandwidth line ("MB:0=20;1=70"). */
  readonly memBwSchema?: string;
  /** A monitoring group of the container's own. */
  readonly enableMonitoring?: boolean;
}

/** set_mempolicy(2) for the container process. */
export interface MemoryPolicy {
  /** MPOL_* mode name. */
  readonly mode: string;
  /** NUMA node list, e.g. "0-3,7". */
  readonly nodes?: string;
  /** MPOL_F_* flag names. */
  readonly flags?: readonly string[];
}
