// config.json `linux` (config-linux.md) → Linux: namespaces, id mappings,
// devices and the smaller sections; resources and seccomp have their own
// modules. Rules here concern one section alone; rules across sections are
// in validate.ts.
//
// Permissions: none.

import { at, ConfigError } from "./config_error.ts";
import {
  absolutePath,
  arrayOf,
  boolean,
  type Check,
  int64,
  integer,
  mapOf,
  matching,
  object,
  oneOf,
  opt,
  req,
  type Rule,
  string,
  uint32,
} from "./_check.ts";
import { RESOURCES } from "./parse_resources.ts";
import { idList } from "./parse_process.ts";
import { SECCOMP } from "./parse_seccomp.ts";
import {
  type Device,
  type IdMapping,
  type IntelRdt,
  type Linux,
  type MemoryPolicy,
  type Namespace,
  NAMESPACE_TYPES,
} from "./types.ts";

/** mount(2) propagation types for the rootfs (runc also takes the recursive forms). */
export const ROOTFS_PROPAGATIONS = [
  "shared",
  "slave",
  "private",
  "unbindable",
  "rshared",
  "rslave",
  "rprivate",
  "runbindable",
] as const;

/** The clocks a time namespace can offset (time_namespaces(7)). */
export const TIME_OFFSET_CLOCKS = ["monotonic", "boottime"] as const;

export const MEMORY_POLICY_MODES = [
  "MPOL_DEFAULT",
  "MPOL_BIND",
  "MPOL_INTERLEAVE",
  "MPOL_WEIGHTED_INTERLEAVE",
  "MPOL_PREFERRED",
  "MPOL_PREFERRED_MANY",
  "MPOL_LOCAL",
] as const;

export const MEMORY_POLICY_FLAGS = [
  "MPOL_F_NUMA_BALANCING",
  "MPOL_F_RELATIVE_NODES",
  "MPOL_F_STATIC_NODES",
] as const;

// The runtime spec: "If a namespace type is specified more than once, the
// runtime MUST generate an error."
const uniqueNamespaces: Rule<readonly Namespace[]> = (list, p) => {
  list.forEach((ns, i) => {
    if (list.findIndex((o) => o.type === ns.type) < i) {
      throw new ConfigError(at(p, i, "type"), `duplicate namespace type "${ns.type}"`);
    }
  });
};

const NAMESPACE = object<Namespace>({
  type: req(oneOf(NAMESPACE_TYPES, "namespace type")),
  path: opt(absolutePath),
});

// user_namespaces(7): a mapping of no ids is refused, and a range may not
// run past 2^32 - 1 on either side.
const mappingFits: Rule<IdMapping> = (m, p) => {
  if (m.size === 0) throw new ConfigError(at(p, "size"), "must be greater than 0");
  const end = Math.max(m.containerID, m.hostID) + m.size;
  if (end > 2 ** 32 - 1) {
    throw new ConfigError(at(p, "size"), `range of ${m.size} ids runs past 4294967294`);
  }
};

export const ID_MAPPING = object<IdMapping>({
  containerID: req(uint32),
  hostID: req(uint32),
  size: req(uint32),
}, mappingFits);

/** File type bits of a mode (stat(2)'s S_IF*), by OCI device type. */
export const S_IF = { c: 0o020000, u: 0o020000, b: 0o060000, p: 0o010000 } as const;
const S_IFMT = 0o170000;

// mknod(2) needs a device number for character and block devices.
const numberedUnlessFifo: Rule<Device> = (d, p) => {
  if (d.type === "p") return;
  for (const field of ["major", "minor"] as const) {
    if (d[field] === undefined) {
      throw new ConfigError(at(p, field), `is required for a device of type "${d.type}"`);
    }
  }
};

// fileMode is a uint32: podman writes the host node's st_mode, type bits
// and all (8630 = S_IFCHR|0666). Its permission bits set the mode; type
// bits, when there, must be the type's (runc strips them unchecked).
const modeFitsType: Rule<Device> = (d, p) => {
  if (d.fileMode === undefined) return;
  const pointer = at(p, "fileMode");
  if ((d.fileMode & ~(S_IFMT | 0o7777)) !== 0) {
    throw new ConfigError(pointer, `${d.fileMode} has bits beyond the file type and 07777`);
  }
  const type = d.fileMode & S_IFMT;
  if (type !== 0 && type !== S_IF[d.type]) {
    throw new ConfigError(
      pointer,
      `file type bits 0o${type.toString(8)} of ${d.fileMode} do not match device type "${d.type}"`,
    );
  }
};

const DEVICE = object<Device>({
  type: req(oneOf(["c", "b", "u", "p"] as const, "device type")),
  path: req(absolutePath),
  major: opt(int64),
  minor: opt(int64),
  // The schema says 0o777; containerd strips only S_IFMT from a host
  // device's mode, so the setuid, setgid and sticky bits may come along.
  fileMode: opt(uint32),
  uid: opt(uint32),
  gid: opt(uint32),
}, (d, p) => {
  numberedUnlessFifo(d, p);
  modeFitsType(d, p);
});

const TIME_OFFSET = object<NonNullable<Linux["timeOffsets"]>[string]>({
  secs: opt(int64),
  nanosecs: opt(integer(0, 999_999_999, "an integer from 0 to 999999999")),
});

const knownClocks: Rule<Readonly<Record<string, unknown>>> = (offsets, p) => {
  for (const clock of Object.keys(offsets)) {
    if (!(TIME_OFFSET_CLOCKS as readonly string[]).includes(clock)) {
      throw new ConfigError(at(p, clock), `unknown clock "${clock}" (monotonic or boottime)`);
    }
  }
};

// dev_valid_name() in net/core/dev.c: at most IFNAMSIZ - 1 bytes, not "."
// or "..", and no "/", ":" or white space.
const interfaceName: Check<string> = (v, p) => {
  const name = string(v, p);
  if (
    name === "" || name === "." || name === ".." || new TextEncoder().encode(name).length > 15 ||
    /[/:\s]/.test(name)
  ) {
    throw new ConfigError(p, `invalid network interface name ${JSON.stringify(name)}`);
  }
  return name;
};

const validDeviceNames: Rule<Readonly<Record<string, unknown>>> = (devices, p) => {
  for (const name of Object.keys(devices)) interfaceName(name, at(p, name));
};

const NET_DEVICE = object<NonNullable<Linux["netDevices"]>[string]>({ name: opt(interfaceName) });

const INTEL_RDT = object<IntelRdt>({
  // A resctrl group is a directory: its name may not climb out of it.
  closID: opt(matching(/^(?!\.\.?$)[^/]*$/, "closID", 'may not be "." or ".." or contain "/"')),
  schemata: opt(arrayOf(string)),
  l3CacheSchema: opt(string),
  memBwSchema: opt(matching(/^MB:[^\n]*$/, "memBwSchema", 'must start with "MB:"')),
  enableMonitoring: opt(boolean),
});

const MEMORY_POLICY = object<MemoryPolicy>({
  mode: req(oneOf(MEMORY_POLICY_MODES, "memory policy mode")),
  nodes: opt(idList("NUMA node list")),
  flags: opt(arrayOf(oneOf(MEMORY_POLICY_FLAGS, "memory policy flag"))),
});

export const LINUX = object<Linux>({
  namespaces: opt(arrayOf(NAMESPACE, uniqueNamespaces)),
  uidMappings: opt(arrayOf(ID_MAPPING)),
  gidMappings: opt(arrayOf(ID_MAPPING)),
  timeOffsets: opt(mapOf(TIME_OFFSET, knownClocks)),
  devices: opt(arrayOf(DEVICE)),
  cgroupsPath: opt(string),
  resources: opt(RESOURCES),
  rootfsPropagation: opt(oneOf(ROOTFS_PROPAGATIONS, "rootfs propagation")),
  seccomp: opt(SECCOMP),
  sysctl: opt(mapOf(string)),
  maskedPaths: opt(arrayOf(absolutePath)),
  readonlyPaths: opt(arrayOf(absolutePath)),
  mountLabel: opt(string),
  personality: opt(object<NonNullable<Linux["personality"]>>({
    domain: req(oneOf(["LINUX", "LINUX32"], "personality domain")),
    flags: opt(arrayOf(string)),
  })),
  intelRdt: opt(INTEL_RDT),
  netDevices: opt(mapOf(NET_DEVICE, validDeviceNames)),
  memoryPolicy: opt(MEMORY_POLICY),
});
