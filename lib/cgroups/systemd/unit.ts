// The systemd driver's pure side, as runc's libcontainer/cgroups/systemd:
// "slice:prefix:name" → the unit and where systemd puts its cgroup, and
// the properties of StartTransientUnit (accounting, delegation, and the
// limits systemd itself enforces; runc then writes every limit through
// the cgroupfs managers too).
//
// Permissions: none.

import type { Resources } from "../../spec/types.ts";
import { ConfigError } from "../../spec/config_error.ts";
import { type Value, type Variant, variant } from "../../dbus/marshal.ts";
import { sharesToWeight, swapToV2 } from "../v2/plan.ts";

export interface SystemdUnit {
  /** The parent slice, e.g. "system.slice". */
  readonly slice: string;
  /** The unit to create: "prefix-name.scope", or a slice when name ends in ".slice". */
  readonly unit: string;
}

const POINTER = "/linux/cgroupsPath";
const U64_MAX = 2n ** 64n - 1n;

/**
 * runc's rules: "slice:prefix:name"; an empty path is the default slice
 * (system.slice as root, user.slice rootless) with prefix "runo" and the
 * container id as name. A name ending in ".slice" asks for a slice.
 */
export function systemdUnit(
  cgroupsPath: string | undefined,
  id: string,
  rootless: boolean,
): SystemdUnit {
  const defaultSlice = rootless ? "user.slice" : "system.slice";
  if (cgroupsPath === undefined || cgroupsPath === "") {
    return { slice: defaultSlice, unit: `runo-${id}.scope` };
  }
  const parts = cgroupsPath.split(":");
  if (parts.length !== 3) {
    throw new ConfigError(
      POINTER,
      `cgroupsPath "${cgroupsPath}" must be "slice:prefix:name" for --systemd-cgroup`,
    );
  }
  const [slice, prefix, name] = parts;
  if (name === "") throw new ConfigError(POINTER, `cgroupsPath "${cgroupsPath}" has no name`);
  if (slice !== "") expandSlice(slice);
  let unit = name;
  if (!name.endsWith(".slice")) unit = prefix === "" ? `${name}.scope` : `${prefix}-${name}.scope`;
  else expandSlice(name);
  if (unit.includes("/")) {
    throw new ConfigError(POINTER, `systemd unit name "${unit}" must not contain "/"`);
  }
  return { slice: slice === "" ? defaultSlice : slice, unit };
}

/**
 * runc's ExpandSlice: "a-b-c.slice" lives at /a.slice/a-b.slice/a-b-c.slice;
 * "-.slice" is the root.
 */
export function expandSlice(slice: string): string {
  const bad = () => new ConfigError(POINTER, `invalid systemd slice name "${slice}"`);
  if (!slice.endsWith(".slice") || slice.length <= ".slice".length || slice.includes("/")) {
    throw bad();
  }
  const name = slice.slice(0, -".slice".length);
  if (name === "-") return "/";
  let path = "";
  let prefix = "";
  for (const component of name.split("-")) {
    if (component === "") throw bad();
    path += `/${prefix}${component}.slice`;
    prefix += `${component}-`;
  }
  return path;
}

/**
 * The unit's cgroup below the manager's own ("ControlGroup"; "/" or "" for
 * PID 1). A slice sits where its own name puts it, whatever its Wants=
 * (runc joins it under the parent's path, where systemd does not put it).
 */
export function unitCgroupPath(managerCgroup: string, u: SystemdUnit): string {
  const base = managerCgroup.replace(/\/+$/, "");
  if (u.unit.endsWith(".slice")) return `${base}${expandSlice(u.unit)}`;
  return `${base}${expandSlice(u.slice) === "/" ? "" : expandSlice(u.slice)}/${u.unit}`;
}

export interface PropertyFacts {
  /** The cgroup version the container's limits are written in. */
  readonly version: 1 | 2;
  /** systemd's major version (Manager.Version), for properties added late. */
  readonly systemdVersion: number;
}

type Property = [string, Variant];

/** StartTransientUnit's properties, in runc's order. */
export function unitProperties(
  u: SystemdUnit,
  pid: number,
  id: string,
  r: Resources,
  facts: PropertyFacts,
): Property[] {
  const props: Property[] = [["Description", variant("s", `runo container ${id}`)]];
  if (u.unit.endsWith(".slice")) {
    // A slice's parent is named by Wants=, a scope's by Slice= (runc).
    // systemd refuses PIDs= for a slice (runc passes it and fails): the
    // init joins the slice's cgroup through cgroupfs instead.
    props.push(["Wants", variant("as", [u.slice])]);
  } else {
    props.push(["Slice", variant("s", u.slice)], ["Delegate", variant("b", true)]);
    if (pid > 0) props.push(["PIDs", variant("au", [pid])]);
  }
  props.push(
    ["MemoryAccounting", variant("b", true)],
    ["CPUAccounting", variant("b", true)],
    [facts.version === 2 ? "IOAccounting" : "BlockIOAccounting", variant("b", true)],
    ["TasksAccounting", variant("b", true)],
    ["DefaultDependencies", variant("b", false)],
  );
  props.push(...resourceProperties(r, facts));
  return props;
}

/** runc's genV1ResourcesProperties / genV2ResourcesProperties, devices aside. */
export function resourceProperties(r: Resources, facts: PropertyFacts): Property[] {
  const props: Property[] = [];
  const t = (name: string, v: number | bigint) => props.push([name, variant("t", u64(v))]);
  const mem = r.memory ?? {};
  const cpu = r.cpu ?? {};
  if (facts.version === 1) {
    if (mem.limit) t("MemoryLimit", mem.limit);
    if (cpu.shares) t("CPUShares", cpu.shares);
  } else {
    if (mem.limit) t("MemoryMax", mem.limit);
    if (mem.reservation) t("MemoryLow", mem.reservation);
    if (mem.swap) {
      const swap = swapToV2(mem.swap, mem.limit);
      t("MemorySwapMax", swap === "max" ? U64_MAX : BigInt(swap));
    }
    if (cpu.shares) t("CPUWeight", sharesToWeight(cpu.shares));
  }
  props.push(...cpuQuota(cpu.quota ?? 0, cpu.period ?? 0, facts.systemdVersion));
  if (facts.version === 1 && r.blockIO?.weight) t("BlockIOWeight", r.blockIO.weight);
  const pids = r.pids?.limit ?? 0;
  if (pids > 0 || pids === -1) t("TasksMax", pids);
  // AllowedCPUs/AllowedMemoryNodes came in systemd 244.
  if (facts.systemdVersion >= 244) {
    if (cpu.cpus) props.push(["AllowedCPUs", variant("ay", rangeToBits(cpu.cpus, "cpus"))]);
    if (cpu.mems) props.push(["AllowedMemoryNodes", variant("ay", rangeToBits(cpu.mems, "mems"))]);
  }
  return props;
}

/** -1 (unlimited) is systemd's infinity, UINT64_MAX. */
function u64(v: number | bigint): bigint {
  return BigInt(v) < 0n ? U64_MAX : BigInt(v);
}

/**
 * runc's addCpuQuota: systemd takes the quota as µs per CPU-second, which
 * it keeps as a whole percentage, so a fraction is rounded up to the next
 * 10 ms, leaving the quota the container asked for enforceable below it.
 */
export function cpuQuota(quota: number, period: number, systemdVersion: number): Property[] {
  const props: Property[] = [];
  if (period !== 0 && systemdVersion >= 242) {
    props.push(["CPUQuotaPeriodUSec", variant("t", BigInt(period))]);
  }
  if (quota !== 0 || period !== 0) {
    let perSec = U64_MAX;
    if (quota > 0) {
      perSec = (BigInt(quota) * 1000000n) / BigInt(period || 100000);
      if (perSec % 10000n !== 0n) perSec = (perSec / 10000n + 1n) * 10000n;
    }
    props.push(["CPUQuotaPerSecUSec", variant("t", perSec)]);
  }
  return props;
}

/** "0-2,7" → a little-endian bitmask, one bit per cpu (systemd's "ay"). */
export function rangeToBits(list: string, field: "cpus" | "mems"): Value[] {
  const bits: number[] = [];
  for (const part of list.trim().split(",")) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
    if (!m || hi < lo || hi > 8191) {
      throw new ConfigError(`/linux/resources/cpu/${field}`, `invalid cpu list "${list}"`);
    }
    for (let i = lo; i <= hi; i++) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
  }
  return Array.from(bits, (b) => b ?? 0);
}

/** "252.38-1~deb12u1" → 252; 0 when unreadable (then no late properties). */
export function systemdMajor(version: string): number {
  const m = /^\D*(\d+)/.exec(version);
  return m ? Number(m[1]) : 0;
}
