// The cgroup v2 plan: OCI resources → writes in the one unified directory,
// with runc's v1→v2 conversions (fs2/*.go, cgroups/utils.go).
//
// Permissions: none.

import type { Resources, ThrottleDevice } from "../../spec/types.ts";
import { ConfigError } from "../../spec/config_error.ts";
import { type CgroupWrite, type ControllerPlan, w } from "../write.ts";
import { hugetlbV2Plan, rdmaPlan } from "../v1/misc.ts";

export interface V2Facts {
  /** Controllers enabled for the container's cgroup (its cgroup.controllers). */
  readonly controllers: readonly string[];
  /** io.bfq.weight exists: BFQ takes the v1 weight range as is. */
  readonly bfq: boolean;
}

/** runc's ConvertCPUSharesToCgroupV2Value: [2, 262144] → [1, 10000]. */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  return Math.floor(1 + ((shares - 2) * 9999) / 262142);
}

/** runc's ConvertBlkIOToIOWeightValue: [10, 1000] → [1, 10000]. */
export function blkioWeightToIoWeight(weight: number): number {
  if (weight === 0) return 0;
  return Math.floor(1 + ((weight - 10) * 9999) / 990);
}

/**
 * OCI swap is memory+swap; v2's memory.swap.max is swap alone (runc's
 * ConvertMemorySwapToCgroupV2Value).
 */
export function swapToV2(swap: number, limit: number | undefined): string {
  if (swap === -1) return "max";
  if (limit === undefined || limit === -1) {
    throw new ConfigError("/linux/resources/memory/swap", "a swap limit needs a memory limit");
  }
  if (swap < limit) {
    throw new ConfigError(
      "/linux/resources/memory/swap",
      `memory+swap limit ${swap} is below the memory limit ${limit}`,
    );
  }
  return String(swap - limit);
}

const max = (n: number) => (n === -1 ? "max" : String(n));

export function v2Plan(r: Resources, facts: V2Facts): ControllerPlan {
  const writes: CgroupWrite[] = [];
  const warnings: string[] = [];
  memory(r.memory, writes, warnings);
  cpu(r.cpu, writes, warnings);
  if (r.pids) writes.push(w("pids.max", r.pids.limit > 0 ? r.pids.limit : "max"));
  io(r.blockIO, facts, writes, warnings);
  writes.push(...hugetlbV2Plan(r.hugepageLimits).writes);
  if (r.network?.classID !== undefined || r.network?.priorities?.length) {
    warnings.push("linux.resources.network is ignored: cgroup v2 has no net_cls/net_prio");
  }
  writes.push(...rdmaPlan(r.rdma).writes);
  writes.push(...unifiedWrites(r.unified, facts));
  return { writes, warnings };
}

function memory(m: Resources["memory"], writes: CgroupWrite[], warnings: string[]): void {
  if (!m) return;
  // Swap first: memory.swap.max does not depend on memory.max in v2, and
  // runc writes it first so a failing swap write leaves the limit as it was.
  if (m.swap !== undefined) writes.push(w("memory.swap.max", swapToV2(m.swap, m.limit)));
  if (m.limit !== undefined) writes.push(w("memory.max", max(m.limit)));
  if (m.reservation !== undefined) writes.push(w("memory.low", max(m.reservation)));
  if (m.kernel !== undefined) warnings.push("linux.resources.memory.kernel is ignored");
  if (m.kernelTCP !== undefined) warnings.push("linux.resources.memory.kernelTCP is ignored");
  if (m.swappiness !== undefined) {
    warnings.push("linux.resources.memory.swappiness is ignored: cgroup v2 has no swappiness");
  }
  if (m.disableOOMKiller) {
    warnings.push("linux.resources.memory.disableOOMKiller is ignored on cgroup v2");
  }
  if (m.useHierarchy !== undefined) {
    warnings.push(
      "linux.resources.memory.useHierarchy is ignored: cgroup v2 is always hierarchical",
    );
  }
}

function cpu(c: Resources["cpu"], writes: CgroupWrite[], warnings: string[]): void {
  if (!c) return;
  if (c.shares) writes.push(w("cpu.weight", sharesToWeight(c.shares)));
  if (c.quota !== undefined || c.period) {
    const quota = c.quota === undefined || c.quota <= 0 ? "max" : String(c.quota);
    writes.push(w("cpu.max", `${quota} ${c.period || 100000}`));
  }
  if (c.burst !== undefined) writes.push(w("cpu.max.burst", c.burst));
  if (c.idle !== undefined) writes.push(w("cpu.idle", c.idle));
  if (c.realtimeRuntime || c.realtimePeriod) {
    warnings.push("linux.resources.cpu.realtime* is ignored: cgroup v2 has no rt bandwidth");
  }
  if (c.cpus) writes.push(w("cpuset.cpus", c.cpus));
  if (c.mems) writes.push(w("cpuset.mems", c.mems));
}

function io(
  b: Resources["blockIO"],
  facts: V2Facts,
  writes: CgroupWrite[],
  warnings: string[],
): void {
  if (!b) return;
  if (b.leafWeight || b.weightDevice?.some((d) => d.leafWeight)) {
    warnings.push("linux.resources.blockIO.leafWeight is ignored: cgroup v2 has no leaf weight");
  }
  const weightFile = facts.bfq ? "io.bfq.weight" : "io.weight";
  const conv = (x: number) => (facts.bfq ? x : blkioWeightToIoWeight(x));
  if (b.weight) writes.push(w(weightFile, conv(b.weight)));
  for (const d of b.weightDevice ?? []) {
    if (d.weight) writes.push(w(weightFile, `${d.major}:${d.minor} ${conv(d.weight)}`));
  }
  const throttles: [string, readonly ThrottleDevice[] | undefined][] = [
    ["rbps", b.throttleReadBpsDevice],
    ["wbps", b.throttleWriteBpsDevice],
    ["riops", b.throttleReadIOPSDevice],
    ["wiops", b.throttleWriteIOPSDevice],
  ];
  for (const [key, devices] of throttles) {
    for (const d of devices ?? []) {
      writes.push(w("io.max", `${d.major}:${d.minor} ${key}=${d.rate}`));
    }
  }
}

/**
 * linux.resources.unified: "controller.file" keys of the container's own
 * cgroup only (runc: no "/" and no ".."), and the controller enabled there.
 */
export function unifiedWrites(
  unified: Resources["unified"],
  facts: V2Facts,
): CgroupWrite[] {
  const writes: CgroupWrite[] = [];
  for (const [key, value] of Object.entries(unified ?? {})) {
    const pointer = `/linux/resources/unified/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (!/^[a-z_]+\.[a-z0-9_.]+$/.test(key)) {
      throw new ConfigError(pointer, `"${key}" is not a cgroup v2 file name ("controller.file")`);
    }
    const controller = key.slice(0, key.indexOf("."));
    if (controller !== "cgroup" && !facts.controllers.includes(controller)) {
      throw new ConfigError(
        pointer,
        `cgroup v2 controller "${controller}" is not enabled for this cgroup`,
      );
    }
    writes.push(w(key, value));
  }
  return writes;
}
