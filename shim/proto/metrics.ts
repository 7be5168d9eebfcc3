// cgroup v1 statistics as containerd reports them
// (github.com/containerd/cgroups stats/v1 metrics.proto): the Any of
// Task.Stats, read by `ctr task metrics` and the CRI's ContainerStats.
//
// Permissions: none.

import { message, msg, rep, str, u64 } from "./schema.ts";

const v1 = "io.containerd.cgroups.v1.";

export const HugetlbStat = message(`${v1}HugetlbStat`, {
  usage: u64(1),
  max: u64(2),
  failcnt: u64(3),
  pagesize: str(4),
});
export const PidsStat = message(`${v1}PidsStat`, { current: u64(1), limit: u64(2) });
export const CPUUsage = message(`${v1}CPUUsage`, {
  total: u64(1),
  kernel: u64(2),
  user: u64(3),
  perCpu: rep(u64(4)),
});
export const Throttle = message(`${v1}Throttle`, {
  periods: u64(1),
  throttledPeriods: u64(2),
  throttledTime: u64(3),
});
export const CPUStat = message(`${v1}CPUStat`, {
  usage: msg(1, CPUUsage),
  throttling: msg(2, Throttle),
});
export const MemoryEntry = message(`${v1}MemoryEntry`, {
  limit: u64(1),
  usage: u64(2),
  max: u64(3),
  failcnt: u64(4),
});

/** memory.stat's counters by field number, in the kernel's names. */
export const MEMORY_STAT_FIELDS = [
  "cache",
  "rss",
  "rss_huge",
  "mapped_file",
  "dirty",
  "writeback",
  "pgpgin",
  "pgpgout",
  "pgfault",
  "pgmajfault",
  "inactive_anon",
  "active_anon",
  "inactive_file",
  "active_file",
  "unevictable",
  "hierarchical_memory_limit",
  "hierarchical_memsw_limit",
  "total_cache",
  "total_rss",
  "total_rss_huge",
  "total_mapped_file",
  "total_dirty",
  "total_writeback",
  "total_pgpgin",
  "total_pgpgout",
  "total_pgfault",
  "total_pgmajfault",
  "total_inactive_anon",
  "total_active_anon",
  "total_inactive_file",
  "total_active_file",
  "total_unevictable",
] as const;

const counters = Object.fromEntries(MEMORY_STAT_FIELDS.map((name, i) => [name, u64(i + 1)])) as {
  [K in typeof MEMORY_STAT_FIELDS[number]]: ReturnType<typeof u64>;
};

export const MemoryStat = message(`${v1}MemoryStat`, {
  ...counters,
  usage: msg(33, MemoryEntry),
  swap: msg(34, MemoryEntry),
  kernel: msg(35, MemoryEntry),
  kernelTcp: msg(36, MemoryEntry),
});
export const BlkIOEntry = message(`${v1}BlkIOEntry`, {
  op: str(1),
  device: str(2),
  major: u64(3),
  minor: u64(4),
  value: u64(5),
});
export const BlkIOStat = message(`${v1}BlkIOStat`, {
  ioServiceBytesRecursive: rep(msg(1, BlkIOEntry)),
  ioServicedRecursive: rep(msg(2, BlkIOEntry)),
});

export const Metrics = message(`${v1}Metrics`, {
  hugetlb: rep(msg(1, HugetlbStat)),
  pids: msg(2, PidsStat),
  cpu: msg(3, CPUStat),
  memory: msg(4, MemoryStat),
  blkio: msg(5, BlkIOStat),
});
