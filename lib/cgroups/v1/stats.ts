// cgroup v1 statistics in runc's shape (fs/cpuacct.go, memory.go, pids.go,
// blkio.go, hugetlb.go).
//
// Permissions: as the CgroupFs given.

import type { CgroupFs } from "../fs.ts";
import {
  emptyStats,
  type MemoryEntry,
  parseBlkioEntries,
  parseFlatKeyed,
  parseNumber,
  parseNumberList,
  type Stats,
} from "../stats.ts";

/** USER_HZ ticks → ns, as runc's cpuacct.stat conversion (clock ticks are 100 Hz). */
const NS_PER_TICK = 10_000_000;

export function v1Stats(fs: CgroupFs, path: (c: string) => string | undefined): Stats {
  const s = emptyStats();
  const read = (c: string, file: string) => {
    const dir = path(c);
    return dir ? fs.read(`${dir}/${file}`) : null;
  };
  s.cpu.usage.total = parseNumber(read("cpuacct", "cpuacct.usage"));
  s.cpu.usage.percpu = parseNumberList(read("cpuacct", "cpuacct.usage_percpu"));
  const acct = parseFlatKeyed(read("cpuacct", "cpuacct.stat"));
  s.cpu.usage.user = (acct.user ?? 0) * NS_PER_TICK;
  s.cpu.usage.kernel = (acct.system ?? 0) * NS_PER_TICK;
  const thr = parseFlatKeyed(read("cpu", "cpu.stat"));
  s.cpu.throttling = {
    periods: thr.nr_periods,
    throttled_periods: thr.nr_throttled,
    throttled_time: thr.throttled_time,
  };
  const raw = parseFlatKeyed(read("memory", "memory.stat"));
  s.memory.raw = raw;
  s.memory.cache = raw.total_cache ?? raw.cache;
  s.memory.usage = memoryEntry((f) => read("memory", f), "memory");
  s.memory.swap = memoryEntry((f) => read("memory", f), "memory.memsw");
  s.memory.kernel = memoryEntry((f) => read("memory", f), "memory.kmem");
  s.pids = {
    current: parseNumber(read("pids", "pids.current")),
    limit: parseNumber(read("pids", "pids.max")),
  };
  s.blkio = {
    ioServiceBytesRecursive: parseBlkioEntries(
      read("blkio", "blkio.throttle.io_service_bytes_recursive"),
    ),
    ioServicedRecursive: parseBlkioEntries(read("blkio", "blkio.throttle.io_serviced_recursive")),
  };
  return s;
}

function memoryEntry(read: (f: string) => string | null, prefix: string): MemoryEntry {
  const limit = parseNumber(read(`${prefix}.limit_in_bytes`)) ?? 0;
  return {
    limit,
    usage: parseNumber(read(`${prefix}.usage_in_bytes`)),
    max: parseNumber(read(`${prefix}.max_usage_in_bytes`)),
    failcnt: parseNumber(read(`${prefix}.failcnt`)) ?? 0,
  };
}
