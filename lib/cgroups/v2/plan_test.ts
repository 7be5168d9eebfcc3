import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { blkioWeightToIoWeight, sharesToWeight, swapToV2, unifiedWrites, v2Plan } from "./plan.ts";
import { ConfigError } from "../../spec/config_error.ts";

const FACTS = { controllers: ["cpu", "memory", "pids", "io", "cpuset", "hugetlb"], bfq: false };
const files = (r: Parameters<typeof v2Plan>[0], facts = FACTS) =>
  v2Plan(r, facts).writes.map((x) => `${x.file}=${x.value}`);

Deno.test("sharesToWeight() maps runc's range ends and default", () => {
  assertEquals(sharesToWeight(2), 1);
  assertEquals(sharesToWeight(262144), 10000);
  assertEquals(sharesToWeight(1024), 39);
});

Deno.test("blkioWeightToIoWeight() maps [10, 1000] onto [1, 10000]", () => {
  assertEquals(blkioWeightToIoWeight(10), 1);
  assertEquals(blkioWeightToIoWeight(1000), 10000);
  assertEquals(blkioWeightToIoWeight(500), 4950);
});

Deno.test("swapToV2() subtracts the memory limit; -1 is max; below the limit is refused", () => {
  assertEquals(swapToV2(300, 100), "200");
  assertEquals(swapToV2(-1, 100), "max");
  assertThrows(() => swapToV2(50, 100), ConfigError);
  assertThrows(() => swapToV2(50, undefined), ConfigError, "needs a memory limit");
});

Deno.test("v2Plan() converts memory, cpu, pids, io, hugetlb to v2 files", () => {
  assertEquals(
    files({
      memory: { limit: 1000, swap: 3000, reservation: 500 },
      cpu: { shares: 1024, quota: 50000, period: 100000, cpus: "0", mems: "0", idle: 1 },
      pids: { limit: -1 },
      blockIO: {
        weight: 500,
        throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 10 }],
        throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 20 }],
      },
      hugepageLimits: [{ pageSize: "2MB", limit: 2097152 }],
    }),
    [
      "memory.swap.max=2000",
      "memory.max=1000",
      "memory.low=500",
      "cpu.weight=39",
      "cpu.max=50000 100000",
      "cpu.idle=1",
      "cpuset.cpus=0",
      "cpuset.mems=0",
      "pids.max=max",
      "io.weight=4950",
      "io.max=8:0 rbps=10",
      "io.max=8:0 wiops=20",
      "hugetlb.2MB.max=2097152",
    ],
  );
});

Deno.test("v2Plan() keeps the v1 weight range with BFQ, and cpu.max without a quota is max", () => {
  assertEquals(
    files({ blockIO: { weight: 500 }, cpu: { period: 50000 } }, { ...FACTS, bfq: true }),
    [
      "cpu.max=max 50000",
      "io.bfq.weight=500",
    ],
  );
});

Deno.test("v2Plan() warns about v1-only fields instead of writing them", () => {
  const p = v2Plan({ memory: { swappiness: 10, kernel: 1 }, network: { classID: 1 } }, FACTS);
  assertEquals(p.writes, []);
  assertEquals(p.warnings.length, 3);
});

Deno.test("unifiedWrites() passes valid keys of enabled controllers", () => {
  assertEquals(unifiedWrites({ "memory.high": "1000", "cgroup.max.depth": "3" }, FACTS), [
    { file: "memory.high", value: "1000" },
    { file: "cgroup.max.depth", value: "3" },
  ]);
});

Deno.test("unifiedWrites() refuses paths and disabled controllers, with the pointer", () => {
  const e1 = assertThrows(() => unifiedWrites({ "../memory.max": "1" }, FACTS), ConfigError);
  assertEquals(e1.pointer, "/linux/resources/unified/..~1memory.max");
  const e2 = assertThrows(() => unifiedWrites({ "rdma.max": "x" }, FACTS), ConfigError);
  assertEquals(e2.reason, 'cgroup v2 controller "rdma" is not enabled for this cgroup');
});
