import { assertEquals } from "../testing/assert.ts";
import { parseSpec } from "./parse.ts";
import { type Case, edited, type Json, testRejections } from "./_testing.ts";

const res = (resources: Json) => (c: Json) => c.linux.resources = resources;
const R = "/linux/resources";

testRejections(
  "parseSpec()",
  parseSpec,
  [
    ["linux.resources", "it is a string", res("none"), R, "must be an object"],
    [
      "a hugepage limit",
      "its page size is lower-case kB",
      res({ hugepageLimits: [{ limit: 1234123, pageSize: "64kB" }] }),
      `${R}/hugepageLimits/0/pageSize`,
      'invalid page size "64kB"',
    ],
    [
      "a hugepage limit",
      "it has no limit",
      res({ hugepageLimits: [{ pageSize: "2MB" }] }),
      `${R}/hugepageLimits/0/limit`,
      "is required",
    ],
    [
      "an rdma limit",
      "hcaHandles is a string",
      res({ rdma: { mlx5_1: { hcaHandles: "not a uint32" } } }),
      `${R}/rdma/mlx5_1/hcaHandles`,
      'got "not a uint32"',
    ],
    [
      "a device rule",
      "allow is missing",
      res({ devices: [{ access: "rwm" }] }),
      `${R}/devices/0/allow`,
      "is required",
    ],
    [
      "a device rule",
      "its type is 'p'",
      res({ devices: [{ allow: true, type: "p" }] }),
      `${R}/devices/0/type`,
      'unknown device cgroup type "p"',
    ],
    [
      "a device rule",
      "access holds 'x'",
      res({ devices: [{ allow: true, access: "rwx" }] }),
      `${R}/devices/0/access`,
      'invalid device access "rwx"',
    ],
    [
      "memory.limit",
      "it is a fraction",
      res({ memory: { limit: 1.5 } }),
      `${R}/memory/limit`,
      "must be an int64",
    ],
    [
      "memory.swappiness",
      "it is negative",
      res({ memory: { swappiness: -1 } }),
      `${R}/memory/swappiness`,
      "non-negative",
    ],
    [
      "memory.disableOOMKiller",
      "it is a string",
      res({ memory: { disableOOMKiller: "false" } }),
      `${R}/memory/disableOOMKiller`,
      "boolean",
    ],
    ["cpu.shares", "it is negative", res({ cpu: { shares: -1 } }), `${R}/cpu/shares`, "got -1"],
    ["cpu.cpus", "it is a number", res({ cpu: { cpus: 2 } }), `${R}/cpu/cpus`, "string"],
    ["pids", "it has no limit", res({ pids: {} }), `${R}/pids/limit`, "is required"],
    [
      "blockIO.weight",
      "it is above 65535",
      res({ blockIO: { weight: 70000 } }),
      `${R}/blockIO/weight`,
      "from 0 to 65535",
    ],
    [
      "a throttle device",
      "it has no rate",
      res({ blockIO: { throttleReadBpsDevice: [{ major: 8, minor: 0 }] } }),
      `${R}/blockIO/throttleReadBpsDevice/0/rate`,
      "is required",
    ],
    [
      "a weight device",
      "it has no major",
      res({ blockIO: { weightDevice: [{ minor: 0, weight: 10 }] } }),
      `${R}/blockIO/weightDevice/0/major`,
      "is required",
    ],
    [
      "network.classID",
      "it is negative",
      res({ network: { classID: -1 } }),
      `${R}/network/classID`,
      "from 0 to 4294967295",
    ],
    [
      "a network priority",
      "it has no name",
      res({ network: { priorities: [{ priority: 1 }] } }),
      `${R}/network/priorities/0/name`,
      "is required",
    ],
    [
      "a unified key",
      "it is a path",
      res({ unified: { "../cgroup.procs": "1" } }),
      `${R}/unified/..~1cgroup.procs`,
      "invalid cgroup file name",
    ],
    [
      "a unified value",
      "it is a number",
      res({ unified: { "memory.high": 1 } }),
      `${R}/unified/memory.high`,
      "must be a string",
    ],
  ] satisfies Case[],
);

Deno.test("parseSpec() keeps every resources field, with 64-bit extremes", () => {
  const throttle = [{ major: 8, minor: 0, rate: 600 }];
  const resources = {
    devices: [{ allow: false, access: "rwm" }, { allow: true, type: "c", major: -1, minor: -1 }],
    memory: {
      limit: -1,
      reservation: 1,
      swap: 9223372036854775807,
      kernel: -1,
      kernelTCP: -1,
      swappiness: 0,
      disableOOMKiller: false,
      useHierarchy: true,
      checkBeforeUpdate: true,
    },
    cpu: {
      shares: 1024,
      quota: -1,
      burst: 1,
      period: 100000,
      realtimeRuntime: 0,
      realtimePeriod: 0,
      cpus: "0-3",
      mems: "0",
      idle: 1,
    },
    pids: { limit: -1 },
    blockIO: {
      weight: 10,
      leafWeight: 10,
      weightDevice: [{ major: 8, minor: 0, weight: 500, leafWeight: 300 }],
      throttleReadBpsDevice: throttle,
      throttleWriteBpsDevice: throttle,
      throttleReadIOPSDevice: throttle,
      throttleWriteIOPSDevice: throttle,
    },
    hugepageLimits: [{ pageSize: "2MB", limit: 9223372036854772000 }],
    network: { classID: 1048577, priorities: [{ name: "eth0", priority: 500 }] },
    rdma: { mlx4_0: { hcaObjects: 1000 } },
    unified: { "memory.high": "max" },
  };
  assertEquals(parseSpec(edited(res(resources))).linux?.resources, resources);
});
