// runo's cgroup statistics (mod.ts ContainerStats, the shape runc events
// prints) as containerd's cgroup v1 Metrics, the Any of Task.Stats that
// `ctr task metrics` and the CRI's ContainerStats decode.
//
// Permissions: none.

import type { ContainerStats, MemoryCounter } from "../mod.ts";
import { MEMORY_STAT_FIELDS, Metrics } from "./proto/metrics.ts";
import type { Any } from "./proto/types.ts";

const n = (v: number | undefined): bigint => BigInt(Math.max(0, Math.trunc(v ?? 0)));

function entry(c: MemoryCounter | undefined) {
  return c && { limit: n(c.limit), usage: n(c.usage), max: n(c.max), failcnt: n(c.failcnt) };
}

/** The Metrics message of `stats`, as an Any. */
export function metricsAny(stats: ContainerStats): Any {
  const raw = stats.memory.raw ?? {};
  const counters = Object.fromEntries(MEMORY_STAT_FIELDS.map((f) => [f, n(raw[f])]));
  const blkio = (list: ContainerStats["blkio"]["ioServicedRecursive"]) =>
    (list ?? []).map((e) => ({
      op: e.op,
      device: "",
      major: n(e.major),
      minor: n(e.minor),
      value: n(e.value),
    }));
  const value = Metrics.encode({
    hugetlb: Object.entries(stats.hugetlb).map(([pagesize, h]) => ({
      pagesize,
      usage: n(h.usage),
      max: n(h.max),
      failcnt: n(h.failcnt),
    })),
    pids: { current: n(stats.pids.current), limit: n(stats.pids.limit) },
    cpu: {
      usage: {
        total: n(stats.cpu.usage.total),
        kernel: n(stats.cpu.usage.kernel),
        user: n(stats.cpu.usage.user),
        perCpu: (stats.cpu.usage.percpu ?? []).map(n),
      },
      throttling: {
        periods: n(stats.cpu.throttling.periods),
        throttledPeriods: n(stats.cpu.throttling.throttledPeriods),
        throttledTime: n(stats.cpu.throttling.throttledTime),
      },
    },
    memory: {
      ...counters,
      cache: n(stats.memory.cache ?? raw.cache),
      usage: entry(stats.memory.usage),
      swap: entry(stats.memory.swap),
      kernel: entry(stats.memory.kernel),
      kernelTcp: undefined,
    } as never,
    blkio: {
      ioServiceBytesRecursive: blkio(stats.blkio.ioServiceBytesRecursive),
      ioServicedRecursive: blkio(stats.blkio.ioServicedRecursive),
    },
  });
  return { typeUrl: Metrics.typeName, value };
}
