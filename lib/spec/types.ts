// The OCI runtime config (config.json), field names verbatim from the
// runtime spec (config.md, config-linux.md). One model: the parser in
// parse.ts turns `unknown` into these readonly types; nothing else builds a
// second shape of the same data.
//
// Permissions: none.

import type { Process } from "./process_types.ts";
import type { Resources } from "./resources_types.ts";
import type { Seccomp } from "./seccomp_types.ts";

export type * from "./process_types.ts";
export type * from "./resources_types.ts";
export type * from "./seccomp_types.ts";

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
