import { assertEquals } from "../../testing/assert.ts";
import { memoryPlan } from "./memory.ts";
import { cpuPlan, cpusetPlan } from "./cpu.ts";
import { pidsPlan } from "./pids.ts";
import { blkioPlan } from "./blkio.ts";
import { hugetlbPlan, netClsPlan, netPrioPlan, rdmaPlan } from "./misc.ts";
import type { ControllerPlan } from "../write.ts";

const files = (p: ControllerPlan) => p.writes.map((x) => `${x.file}=${x.value}`);

Deno.test("memoryPlan() writes memsw first when the limit grows", () => {
  const p = memoryPlan({ limit: 200, swap: 400 }, { limit: 100, kmemTcp: false });
  assertEquals(files(p), ["memory.memsw.limit_in_bytes=400", "memory.limit_in_bytes=200"]);
});

Deno.test("memoryPlan() writes the limit first when it shrinks", () => {
  const p = memoryPlan({ limit: 50, swap: 80 }, { limit: 100, kmemTcp: false });
  assertEquals(files(p), ["memory.limit_in_bytes=50", "memory.memsw.limit_in_bytes=80"]);
});

Deno.test("memoryPlan() makes swap unlimited with an unlimited memory limit, as runc", () => {
  const p = memoryPlan({ limit: -1 }, { limit: 100, kmemTcp: false });
  assertEquals(files(p), ["memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1"]);
});

Deno.test("memoryPlan() sets reservation, swappiness, oom killer, hierarchy; warns on kernel", () => {
  const p = memoryPlan({
    reservation: 10,
    swappiness: 30,
    disableOOMKiller: true,
    useHierarchy: true,
    kernel: 5,
  }, { limit: -1, kmemTcp: true });
  assertEquals(files(p), [
    "memory.soft_limit_in_bytes=10",
    "memory.swappiness=30",
    "memory.oom_control=1",
    "memory.use_hierarchy=1",
  ]);
  assertEquals(p.warnings, ["linux.resources.memory.kernel is deprecated and ignored"]);
});

Deno.test("memoryPlan() writes kernelTCP where the kernel has the file, else warns (crun)", () => {
  const on = memoryPlan({ kernelTCP: 50593792 }, { limit: -1, kmemTcp: true });
  assertEquals(files(on), ["memory.kmem.tcp.limit_in_bytes=50593792"]);
  assertEquals(on.warnings, []);
  const off = memoryPlan({ kernelTCP: 50593792 }, { limit: -1, kmemTcp: false });
  assertEquals(files(off), []);
  assertEquals(off.warnings.length, 1);
  assertEquals(/kernelTCP is ignored/.test(off.warnings[0]), true);
});

Deno.test("cpuPlan() marks the period to be retried after the quota, only when a quota is set", () => {
  const both = cpuPlan({ quota: 50000, period: 100000 });
  assertEquals(both.writes[0], {
    file: "cpu.cfs_period_us",
    value: "100000",
    retryAfter: "cpu.cfs_quota_us",
  });
  assertEquals(cpuPlan({ period: 100000 }).writes[0].retryAfter, undefined);
});

Deno.test("cpuPlan() writes the period before the quota and rt period before runtime", () => {
  const p = cpuPlan({
    shares: 512,
    quota: 50000,
    period: 100000,
    burst: 1000,
    realtimeRuntime: 500,
    realtimePeriod: 1000,
    idle: 1,
  });
  assertEquals(files(p), [
    "cpu.shares=512",
    "cpu.cfs_period_us=100000",
    "cpu.cfs_quota_us=50000",
    "cpu.cfs_burst_us=1000",
    "cpu.rt_period_us=1000",
    "cpu.rt_runtime_us=500",
    "cpu.idle=1",
  ]);
});

Deno.test("cpusetPlan() writes cpus and mems", () => {
  assertEquals(files(cpusetPlan({ cpus: "0-1", mems: "0" })), [
    "cpuset.cpus=0-1",
    "cpuset.mems=0",
  ]);
});

Deno.test("pidsPlan() writes max for a limit of 0 or less", () => {
  assertEquals(files(pidsPlan({ limit: 0 })), ["pids.max=max"]);
  assertEquals(files(pidsPlan({ limit: 32 })), ["pids.max=32"]);
});

Deno.test("blkioPlan() uses the host's weight files and writes throttles per device", () => {
  const b = {
    weight: 300,
    weightDevice: [{ major: 8, minor: 0, weight: 500 }],
    throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }],
    throttleWriteIOPSDevice: [{ major: 8, minor: 16, rate: 100 }],
  };
  assertEquals(files(blkioPlan(b, { weightPrefix: "blkio.bfq." })), [
    "blkio.bfq.weight=300",
    "blkio.bfq.weight_device=8:0 500",
    "blkio.throttle.read_bps_device=8:0 1048576",
    "blkio.throttle.write_iops_device=8:16 100",
  ]);
  assertEquals(files(blkioPlan({ weight: 300 }, { weightPrefix: "blkio." })), [
    "blkio.weight=300",
  ]);
});

Deno.test("hugetlb, net_cls, net_prio and rdma plans write their files", () => {
  assertEquals(files(hugetlbPlan([{ pageSize: "2MB", limit: 4194304 }])), [
    "hugetlb.2MB.limit_in_bytes=4194304",
  ]);
  assertEquals(files(netClsPlan({ classID: 1048577 })), ["net_cls.classid=1048577"]);
  assertEquals(files(netPrioPlan({ priorities: [{ name: "eth0", priority: 5 }] })), [
    "net_prio.ifpriomap=eth0 5",
  ]);
  assertEquals(files(rdmaPlan({ mlx4_0: { hcaHandles: 2, hcaObjects: 2000 } })), [
    "rdma.max=mlx4_0 hca_handle=2 hca_object=2000",
  ]);
});
