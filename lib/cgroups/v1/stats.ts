// cgroup v1 statistics in runc's shape (fs/cpuacct.go, memory.go, pids.go,
// blkio.go, hugetlb.go).
//
// Permissions: as the CgroupFs given.

import type { CgroupFs } from "../fs.ts";
import {
  type CpusetStats,
  emptyStats,
  type MemoryEntry,
  parseBlkioEntries,
  parseFlatKeyed,
  parseNumber,
  parseNumberList,
  parseRangeList,
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
  // Per-CPU kernel and user time (ns), where the kernel has the files.
  const sys = read("cpuacct", "cpuacct.usage_percpu_sys");
  const usr = read("cpuacct", "cpuacct.usage_percpu_user");
  if (sys !== null) s.cpu.usage.percpu_kernel = parseNumberList(sys);
  if (usr !== null) s.cpu.usage.percpu_user = parseNumberList(usr);
  const acct = parseFlatKeyed(read("cpuacct", "cpuacct.stat"));
  s.cpu.usage.user = (acct.user ?? 0) * NS_PER_TICK;
  s.cpu.usage.kernel = (acct.system ?? 0) * NS_PER_TICK;
  const thr = parseFlatKeyed(read("cpu", "cpu.stat"));
  s.cpu.throttling = {
    periods: thr.nr_periods,
    throttledPeriods: thr.nr_throttled,
    throttledTime: thr.throttled_time,
  };
  s.cpuset = cpusetStats((f) => read("cpuset", f));
  const raw = parseFlatKeyed(read("memory", "memory.stat"));
  s.memory.raw = raw;
  s.memory.cache = raw.total_cache ?? raw.cache;
  s.memory.usage = memoryEntry((f) => read("memory", f), "memory");
  s.memory.swap = memoryEntry((f) => read("memory", f), "memory.memsw");
  s.memory.kernel = memoryEntry((f) => read("memory", f), "memory.kmem");
  if (read("memory", "memory.kmem.tcp.limit_in_bytes") !== null) {
    s.memory.kernelTCP = memoryEntry((f) => read("memory", f), "memory.kmem.tcp");
  }
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

/** runc's fs/cpuset.go stats: the lists and the flag files of the cpuset controller. */
function cpusetStats(read: (f: string) => string | null): CpusetStats {
  const num = (f: string) => parseNumber(read(`cpuset.${f}`));
  return {
    cpus: parseRangeList(read("cpuset.cpus")),
    cpu_exclusive: num("cpu_exclusive"),
    mems: parseRangeList(read("cpuset.mems")),
    mem_hardwall: num("mem_hardwall"),
    mem_exclusive: num("mem_exclusive"),
    memory_migrate: num("memory_migrate"),
    memory_spread_page: num("memory_spread_page"),
    memory_spread_slab: num("memory_spread_slab"),
    memory_pressure: num("memory_pressure"),
    sched_load_balance: num("sched_load_balance"),
    sched_relax_domain_level: num("sched_relax_domain_level"),
  };
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
