// The OCI runtime config (config.json), field names verbatim from the
// runtime spec (config.md, config-linux.md). One model: the parser in
// parse.ts turns `unknown` into these readonly types; nothing else builds a
// second shape of the same data.
//
// Permissions: none.

export interface Spec {
  readonly ociVersion: string;
  readonly root?: Root;
  readonly process?: Process;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly mounts?: readonly Mount[];
  readonly hooks?: Hooks;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly linux?: Linux;
}

export interface Root {
  readonly path: string;
  readonly readonly?: boolean;
}

export interface Process {
  readonly terminal?: boolean;
  readonly consoleSize?: { readonly height: number; readonly width: number };
  readonly user: User;
  readonly args?: readonly string[];
  readonly commandLine?: string;
  readonly env?: readonly string[];
  readonly cwd: string;
  readonly capabilities?: Capabilities;
  readonly rlimits?: readonly Rlimit[];
  readonly noNewPrivileges?: boolean;
  readonly apparmorProfile?: string;
  readonly oomScoreAdj?: number;
  readonly selinuxLabel?: string;
  readonly ioPriority?: IoPriority;
  readonly scheduler?: Scheduler;
  readonly execCPUAffinity?: ExecCPUAffinity;
}

/** CPU lists ("0-3,7") for the process before and after it enters the cgroup. */
export interface ExecCPUAffinity {
  readonly initial?: string;
  readonly final?: string;
}

export interface User {
  readonly uid: number;
  readonly gid: number;
  readonly umask?: number;
  readonly additionalGids?: readonly number[];
  readonly username?: string;
}

export interface Capabilities {
  readonly bounding?: readonly string[];
  readonly effective?: readonly string[];
  readonly inheritable?: readonly string[];
  readonly permitted?: readonly string[];
  readonly ambient?: readonly string[];
}

export interface Rlimit {
  readonly type: string;
  readonly soft: number;
  readonly hard: number;
}

export interface IoPriority {
  readonly class: string;
  readonly priority: number;
}

export interface Scheduler {
  readonly policy: string;
  readonly nice?: number;
  readonly priority?: number;
  readonly flags?: readonly string[];
  readonly runtime?: number;
  readonly deadline?: number;
  readonly period?: number;
}

export interface Mount {
  readonly destination: string;
  readonly source?: string;
  readonly type?: string;
  readonly options?: readonly string[];
  readonly uidMappings?: readonly IdMapping[];
  readonly gidMappings?: readonly IdMapping[];
}

export interface IdMapping {
  readonly containerID: number;
  readonly hostID: number;
  readonly size: number;
}

export interface Hook {
  readonly path: string;
  readonly args?: readonly string[];
  readonly env?: readonly string[];
  readonly timeout?: number;
}

export interface Hooks {
  readonly prestart?: readonly Hook[];
  readonly createRuntime?: readonly Hook[];
  readonly createContainer?: readonly Hook[];
  readonly startContainer?: readonly Hook[];
  readonly poststart?: readonly Hook[];
  readonly poststop?: readonly Hook[];
}

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
export type NamespaceType = typeof NAMESPACE_TYPES[number];

export interface Namespace {
  readonly type: NamespaceType;
  readonly path?: string;
}

export interface Device {
  readonly type: "c" | "b" | "u" | "p";
  readonly path: string;
  readonly major?: number;
  readonly minor?: number;
  readonly fileMode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

export interface DeviceRule {
  readonly allow: boolean;
  readonly type?: string;
  readonly major?: number;
  readonly minor?: number;
  readonly access?: string;
}

export interface Resources {
  readonly devices?: readonly DeviceRule[];
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
  readonly pids?: { readonly limit: number };
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
  readonly hugepageLimits?: readonly { readonly pageSize: string; readonly limit: number }[];
  readonly network?: {
    readonly classID?: number;
    readonly priorities?: readonly { readonly name: string; readonly priority: number }[];
  };
  readonly rdma?: Readonly<
    Record<string, { readonly hcaHandles?: number; readonly hcaObjects?: number }>
  >;
  readonly unified?: Readonly<Record<string, string>>;
}

export interface ThrottleDevice {
  readonly major: number;
  readonly minor: number;
  readonly rate: number;
}

export interface SeccompArg {
  readonly index: number;
  readonly value: number;
  readonly valueTwo?: number;
  readonly op: string;
}

export interface SeccompSyscall {
  readonly names: readonly string[];
  readonly action: string;
  readonly errnoRet?: number;
  readonly args?: readonly SeccompArg[];
}

export interface Seccomp {
  readonly defaultAction: string;
  readonly defaultErrnoRet?: number;
  readonly architectures?: readonly string[];
  readonly flags?: readonly string[];
  readonly listenerPath?: string;
  readonly listenerMetadata?: string;
  readonly syscalls?: readonly SeccompSyscall[];
}

export interface Linux {
  readonly namespaces?: readonly Namespace[];
  readonly uidMappings?: readonly IdMapping[];
  readonly gidMappings?: readonly IdMapping[];
  readonly timeOffsets?: Readonly<
    Record<string, { readonly secs?: number; readonly nanosecs?: number }>
  >;
  readonly devices?: readonly Device[];
  readonly cgroupsPath?: string;
  readonly resources?: Resources;
  readonly rootfsPropagation?: string;
  readonly seccomp?: Seccomp;
  readonly sysctl?: Readonly<Record<string, string>>;
  readonly maskedPaths?: readonly string[];
  readonly readonlyPaths?: readonly string[];
  readonly mountLabel?: string;
  readonly personality?: { readonly domain: string; readonly flags?: readonly string[] };
  readonly intelRdt?: Readonly<Record<string, unknown>>;
  readonly netDevices?: Readonly<Record<string, { readonly name?: string }>>;
  readonly memoryPolicy?: MemoryPolicy;
}

/** set_mempolicy(2) for the container process. */
export interface MemoryPolicy {
  readonly mode: string;
  readonly nodes?: string;
  readonly flags?: readonly string[];
}
