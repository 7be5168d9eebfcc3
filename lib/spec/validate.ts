// Rules across sections of a parsed Spec, one small named check each, as
// runc's libcontainer/configs/validate applies them (the pure ones; rules
// that probe the host, such as "is this netns path the host's", belong to
// create). validateForCreate() adds what only creating a container needs.
//
// Permissions: none.

import { at, ConfigError } from "./config_error.ts";
import type { IdMapping, Spec } from "./types.ts";
import { createsNamespace, hasNamespace } from "./namespaces.ts";

/** Returns the first problem found, or undefined. */
export type SpecRule = (spec: Spec) => ConfigError | undefined;

const utsField = (field: "hostname" | "domainname"): SpecRule => (spec) => {
  if (spec[field] && !hasNamespace(spec, "uts")) {
    return new ConfigError(`/${field}`, `unable to set ${field} without a private UTS namespace`);
  }
};

const restrictedPathsNeedMountNamespace: SpecRule = (spec) => {
  for (const field of ["maskedPaths", "readonlyPaths"] as const) {
    if (spec.linux?.[field]?.length && !hasNamespace(spec, "mount")) {
      return new ConfigError(
        `/linux/${field}`,
        `unable to restrict paths without a private mount namespace`,
      );
    }
  }
};

const mappingsNeedUserNamespace: SpecRule = (spec) => {
  for (const field of ["uidMappings", "gidMappings"] as const) {
    if (spec.linux?.[field] !== undefined && !hasNamespace(spec, "user")) {
      return new ConfigError(
        `/linux/${field}`,
        `${field} need a user namespace in linux.namespaces`,
      );
    }
  }
};

// A new user namespace must get its maps written before anything runs in
// it; one joined by path already has them.
const newUserNamespaceNeedsMappings: SpecRule = (spec) => {
  if (!createsNamespace(spec, "user")) return;
  for (const field of ["uidMappings", "gidMappings"] as const) {
    if (!spec.linux?.[field]?.length) {
      return new ConfigError(
        `/linux/${field}`,
        `a new user namespace needs ${field} (or a namespace path to join)`,
      );
    }
  }
};

function mapped(id: number, maps: readonly IdMapping[]): boolean {
  return maps.some((m) => id >= m.containerID && id < m.containerID + m.size);
}

// setuid(2)/setgid(2) fail with EINVAL for an id with no mapping; say so
// with the field's name instead.
const processIdsMapped: SpecRule = (spec) => {
  const user = spec.process?.user;
  const { uidMappings, gidMappings } = spec.linux ?? {};
  if (!user || !createsNamespace(spec, "user") || !uidMappings || !gidMappings) return;
  if (!mapped(user.uid, uidMappings)) {
    return new ConfigError(
      "/process/user/uid",
      `uid ${user.uid} is not mapped in linux.uidMappings`,
    );
  }
  if (!mapped(user.gid, gidMappings)) {
    return new ConfigError(
      "/process/user/gid",
      `gid ${user.gid} is not mapped in linux.gidMappings`,
    );
  }
  const i = user.additionalGids?.findIndex((gid) => !mapped(gid, gidMappings)) ?? -1;
  if (i >= 0) {
    return new ConfigError(
      `/process/user/additionalGids/${i}`,
      `gid ${user.additionalGids![i]} is not mapped in linux.gidMappings`,
    );
  }
};

// The kernel takes /proc/<pid>/timens_offsets only before any process has
// entered the namespace (time_namespaces(7)), so offsets need a new one.
const timeOffsetsNeedNewTimeNamespace: SpecRule = (spec) => {
  if (spec.linux?.timeOffsets !== undefined && !createsNamespace(spec, "time")) {
    return new ConfigError(
      "/linux/timeOffsets",
      hasNamespace(spec, "time")
        ? "time offsets cannot be set on a time namespace joined by path"
        : "time offsets need a time namespace in linux.namespaces",
    );
  }
};

// sysctl(8) takes "/" in place of "." when the first separator is a "/".
export function sysctlDotted(name: string): string {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === ".") return name;
  return name.replace(/[./]/g, (c) => (c === "." ? "/" : "."));
}

const IPC_SYSCTLS = new Set([
  "kernel.msgmax",
  "kernel.msgmnb",
  "kernel.msgmni",
  "kernel.sem",
  "kernel.shmall",
  "kernel.shmmax",
  "kernel.shmmni",
  "kernel.shm_rmid_forced",
]);

/** Why sysctl `name` may not be set for `spec`, or undefined if it may (runc's table). */
function sysctlProblem(spec: Spec, name: string): string | undefined {
  const s = sysctlDotted(name);
  if (IPC_SYSCTLS.has(s) || s.startsWith("fs.mqueue.")) {
    return hasNamespace(spec, "ipc") ? undefined : `sysctl "${s}" needs a private IPC namespace`;
  }
  if (s.startsWith("net.")) {
    // Joined by path, the namespace may still be the host's: create checks.
    return hasNamespace(spec, "network")
      ? undefined
      : `sysctl "${s}" needs a private network namespace`;
  }
  if (hasNamespace(spec, "uts")) {
    if (s === "kernel.domainname") return undefined;
    if (s === "kernel.hostname") return `sysctl "${s}" conflicts with the "hostname" field`;
  }
  return `sysctl "${s}" is not in a separate kernel namespace`;
}

const sysctlsNamespaced: SpecRule = (spec) => {
  for (const name of Object.keys(spec.linux?.sysctl ?? {})) {
    const problem = sysctlProblem(spec, name);
    if (problem) return new ConfigError(at("/linux/sysctl", name), problem);
  }
};

/** The rules of validateSpec(), in order; a name says what holds when a rule passes. */
export const SPEC_RULES: readonly (readonly [name: string, rule: SpecRule])[] = [
  ["hostname needs a UTS namespace", utsField("hostname")],
  ["domainname needs a UTS namespace", utsField("domainname")],
  ["masked and read-only paths need a mount namespace", restrictedPathsNeedMountNamespace],
  ["id mappings need a user namespace", mappingsNeedUserNamespace],
  ["a new user namespace has id mappings", newUserNamespaceNeedsMappings],
  ["the process's ids are mapped", processIdsMapped],
  ["time offsets need a new time namespace", timeOffsetsNeedNewTimeNamespace],
  ["sysctls are namespaced", sysctlsNamespaced],
];

/** Throws the first ConfigError of SPEC_RULES for a Spec from parseSpec(). */
export function validateSpec(spec: Spec): void {
  for (const [, rule] of SPEC_RULES) {
    const err = rule(spec);
    if (err) throw err;
  }
}

// What `create` needs beyond a consistent config. The spec's own examples
// (minimal.json, linux-netdevice.json) are valid configs that break these.
const required = (field: "root" | "process"): SpecRule => (spec) => {
  if (!spec[field]) return new ConfigError(`/${field}`, "is required to create a container");
};

const argsNotEmpty: SpecRule = (spec) => {
  if (spec.process && !spec.process.args?.length) {
    return new ConfigError("/process/args", "process.args must not be empty");
  }
};

const netDevicesNeedNetworkNamespace: SpecRule = (spec) => {
  if (Object.keys(spec.linux?.netDevices ?? {}).length > 0 && !hasNamespace(spec, "network")) {
    return new ConfigError(
      "/linux/netDevices",
      "unable to move network devices without a private network namespace",
    );
  }
};

/** The rules of validateForCreate(), in order. */
export const CREATE_RULES: readonly (readonly [name: string, rule: SpecRule])[] = [
  ["root is given", required("root")],
  ["process is given", required("process")],
  ["process.args is not empty", argsNotEmpty],
  ["network devices need a network namespace", netDevicesNeedNetworkNamespace],
];

/** Throws the first ConfigError of CREATE_RULES (after validateSpec(), for `create`/`run`). */
export function validateForCreate(spec: Spec): void {
  for (const [, rule] of CREATE_RULES) {
    const err = rule(spec);
    if (err) throw err;
  }
}
