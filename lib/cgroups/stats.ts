// Container statistics in runc's `events` JSON shape (libcontainer's
// cgroups.Stats as types/events.go prints it), parsed from cgroup files.
// The parsers are pure; managers feed them file text.
//
// Permissions: none.

export interface MemoryEntry {
  limit: number;
  usage?: number;
  max?: number;
  failcnt: number;
}

export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface Stats {
  cpu: {
    usage: {
      total?: number;
      percpu?: number[];
      percpu_kernel?: number[];
      percpu_user?: number[];
      kernel: number;
      user: number;
    };
    throttling: { periods?: number; throttledPeriods?: number; throttledTime?: number };
  };
  /** runc's cpuset stats (types.CPUSet); v2 has only the effective lists. */
  cpuset: CpusetStats;
  memory: {
    cache?: number;
    usage?: MemoryEntry;
    swap?: MemoryEntry;
    kernel?: MemoryEntry;
    /** v1 memory.kmem.tcp.*, where the kernel has them. */
    kernelTCP?: MemoryEntry;
    raw?: Record<string, number>;
  };
  pids: { current?: number; limit?: number };
  blkio: {
    ioServiceBytesRecursive?: BlkioEntry[];
    ioServicedRecursive?: BlkioEntry[];
  };
  hugetlb: Record<string, { usage?: number; max?: number; failcnt: number }>;
  /** resctrl (lib/intelrdt/stats.ts); {} without linux.intelRdt. */
  intel_rdt: Record<string, unknown>;
  /** The container's network interfaces; null without a network namespace of its own. */
  network_interfaces: NetworkInterface[] | null;
}

export interface CpusetStats {
  cpus?: number[];
  cpu_exclusive?: number;
  mems?: number[];
  mem_hardwall?: number;
  mem_exclusive?: number;
  memory_migrate?: number;
  memory_spread_page?: number;
  memory_spread_slab?: number;
  memory_pressure?: number;
  sched_load_balance?: number;
  sched_relax_domain_level?: number;
}

/** runc's types.NetworkInterface (no JSON tags: Go's field names). */
export interface NetworkInterface {
  Name: string;
  RxBytes: number;
  RxPackets: number;
  RxErrors: number;
  RxDropped: number;
  TxBytes: number;
  TxPackets: number;
  TxErrors: number;
  TxDropped: number;
}

export function emptyStats(): Stats {
  return {
    cpu: { usage: { kernel: 0, user: 0 }, throttling: {} },
    cpuset: {},
    memory: {},
    pids: {},
    blkio: {},
    hugetlb: {},
    intel_rdt: {},
    network_interfaces: null,
  };
}

/** "key value" lines (memory.stat, cpu.stat, cpuacct.stat) → map. */
export function parseFlatKeyed(text: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? "").split("\n")) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^-?\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** A single-number file; "max" (v2) and v1's huge "unlimited" become 0 as runc reports. */
export function parseNumber(text: string | null): number | undefined {
  if (text === null) return undefined;
  const t = text.trim();
  if (t === "max") return 0;
  return /^-?\d+$/.test(t) ? Number(t) : undefined;
}

/** "8:0 Read 123" lines (blkio.throttle.io_service_bytes_recursive). */
export function parseBlkioEntries(text: string | null): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (text ?? "").split("\n")) {
    const m = /^(\d+):(\d+) (\w+) (\d+)$/.exec(line.trim());
    if (m) out.push({ major: +m[1], minor: +m[2], op: m[3], value: +m[4] });
  }
  return out;
}

/** v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 …" → runc's v1-shaped entries. */
export function parseIoStat(
  text: string | null,
): Pick<Stats["blkio"], "ioServiceBytesRecursive" | "ioServicedRecursive"> {
  const bytes: BlkioEntry[] = [];
  const ios: BlkioEntry[] = [];
  for (const line of (text ?? "").split("\n")) {
    const [dev, ...kvs] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(dev ?? "");
    if (!m) continue;
    const kv = Object.fromEntries(kvs.map((s) => s.split("=")).map(([k, v]) => [k, Number(v)]));
    const at = (op: string, value: number | undefined) => ({
      major: +m[1],
      minor: +m[2],
      op,
      value: value ?? 0,
    });
    bytes.push(at("Read", kv.rbytes), at("Write", kv.wbytes));
    ios.push(at("Read", kv.rios), at("Write", kv.wios));
  }
  return { ioServiceBytesRecursive: bytes, ioServicedRecursive: ios };
}

/** cpuacct.usage_percpu: one number per cpu, space separated. */
export function parseNumberList(text: string | null): number[] {
  return (text ?? "").trim().split(/\s+/).filter((s) => s !== "").map(Number);
}

/** "0-2,5" (cpuset.cpus) → [0, 1, 2, 5], as runc's cpuset stats list them. */
export function parseRangeList(text: string | null): number[] | undefined {
  if (text === null) return undefined;
  const out: number[] = [];
  for (const part of text.trim().split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) out.push(i);
  }
  return out;
}

/**
 * /proc/<pid>/net/dev: the interfaces of that process's network namespace
 * with their counters, loopback left out.
 */
export function parseNetDev(text: string): NetworkInterface[] {
  const out: NetworkInterface[] = [];
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (name === "lo" || f.length < 16) continue;
    out.push({
      Name: name,
      RxBytes: f[0],
      RxPackets: f[1],
      RxErrors: f[2],
      RxDropped: f[3],
      TxBytes: f[8],
      TxPackets: f[9],
      TxErrors: f[10],
      TxDropped: f[11],
    });
  }
  return out;
}
