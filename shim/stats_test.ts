// Permissions: none.
import { assertEquals } from "../lib/testing/assert.ts";
import type { ContainerStats } from "../mod.ts";
import { metricsAny } from "./stats.ts";
import { Metrics } from "./proto/metrics.ts";

const stats: ContainerStats = {
  cpu: {
    usage: { total: 1500, percpu: [1000, 500], kernel: 300, user: 1200 },
    throttling: { periods: 4, throttledPeriods: 1, throttledTime: 77 },
  },
  memory: {
    cache: 4096,
    usage: { limit: 1 << 30, usage: 8192, max: 9000, failcnt: 2 },
    raw: { rss: 1234, total_rss: 2345, pgfault: 9, hierarchical_memory_limit: 1 << 30 },
  },
  pids: { current: 3, limit: 42 },
  blkio: { ioServiceBytesRecursive: [{ major: 8, minor: 0, op: "Read", value: 512 }] },
  hugetlb: { "2MB": { usage: 0, max: 0, failcnt: 1 } },
  cpuset: { cpus: [0, 1] },
  intel_rdt: {},
  network_interfaces: null,
};

Deno.test("metricsAny() carries runo's stats as containerd's cgroup v1 Metrics", () => {
  const any = metricsAny(stats);
  assertEquals(any.typeUrl, "io.containerd.cgroups.v1.Metrics");
  const m = Metrics.decode(any.value);
  assertEquals(m.pids, { current: 3n, limit: 42n });
  assertEquals(m.cpu?.usage, { total: 1500n, kernel: 300n, user: 1200n, perCpu: [1000n, 500n] });
  assertEquals(m.cpu?.throttling, { periods: 4n, throttledPeriods: 1n, throttledTime: 77n });
  assertEquals(m.memory?.usage, { limit: 1n << 30n, usage: 8192n, max: 9000n, failcnt: 2n });
  assertEquals([m.memory?.cache, m.memory?.rss, m.memory?.total_rss, m.memory?.pgfault], [
    4096n,
    1234n,
    2345n,
    9n,
  ]);
  assertEquals(m.blkio?.ioServiceBytesRecursive, [
    { op: "Read", device: "", major: 8n, minor: 0n, value: 512n },
  ]);
  assertEquals(m.hugetlb, [{ pagesize: "2MB", usage: 0n, max: 0n, failcnt: 1n }]);
});
