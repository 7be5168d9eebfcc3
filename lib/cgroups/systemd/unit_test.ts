import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { ConfigError } from "../../spec/config_error.ts";
import {
  cpuQuota,
  expandSlice,
  rangeToBits,
  resourceProperties,
  systemdMajor,
  systemdUnit,
  unitCgroupPath,
  unitProperties,
} from "./unit.ts";

const U64_MAX = 2n ** 64n - 1n;

Deno.test("systemdUnit() reads slice:prefix:name as runc does", () => {
  assertEquals(systemdUnit("system.slice:docker:abc", "id", false), {
    slice: "system.slice",
    unit: "docker-abc.scope",
  });
  assertEquals(systemdUnit("machine.slice::abc", "id", false).unit, "abc.scope");
  // A name that is a slice asks for a slice, not a scope.
  assertEquals(systemdUnit("a.slice:x:a-b.slice", "id", false), {
    slice: "a.slice",
    unit: "a-b.slice",
  });
});

Deno.test("systemdUnit() defaults: system.slice as root, user.slice rootless, runo-<id>.scope", () => {
  assertEquals(systemdUnit(undefined, "c1", false), {
    slice: "system.slice",
    unit: "runo-c1.scope",
  });
  assertEquals(systemdUnit("", "c1", true), { slice: "user.slice", unit: "runo-c1.scope" });
  assertEquals(systemdUnit(":p:n", "c1", false).slice, "system.slice");
});

Deno.test("systemdUnit() refuses a path that is not slice:prefix:name, with its pointer", () => {
  const err = assertThrows(
    () => systemdUnit("/a/b", "id", false),
    ConfigError,
    "slice:prefix:name",
  );
  assertEquals(err.pointer, "/linux/cgroupsPath");
  assertThrows(() => systemdUnit("a.slice:p:", "id", false), ConfigError, "has no name");
  assertThrows(
    () => systemdUnit("notaslice:p:n", "id", false),
    ConfigError,
    "invalid systemd slice",
  );
});

Deno.test("expandSlice() nests each dash level as runc's ExpandSlice", () => {
  assertEquals(expandSlice("system.slice"), "/system.slice");
  assertEquals(expandSlice("a-b-c.slice"), "/a.slice/a-b.slice/a-b-c.slice");
  assertEquals(expandSlice("-.slice"), "/");
  for (const bad of ["a--b.slice", "-a.slice", ".slice", "a/b.slice", "a.scope"]) {
    assertThrows(() => expandSlice(bad), ConfigError, "invalid systemd slice");
  }
});

Deno.test("unitCgroupPath() puts the unit below the manager's cgroup and the expanded slice", () => {
  const u = { slice: "a-b.slice", unit: "runo-x.scope" };
  assertEquals(unitCgroupPath("/", u), "/a.slice/a-b.slice/runo-x.scope");
  assertEquals(unitCgroupPath("", u), "/a.slice/a-b.slice/runo-x.scope");
  assertEquals(
    unitCgroupPath("/user.slice/user-1000.slice/user@1000.service", {
      slice: "-.slice",
      unit: "s.scope",
    }),
    "/user.slice/user-1000.slice/user@1000.service/s.scope",
  );
});

Deno.test("unitCgroupPath() of a slice is where its own name puts it", () => {
  assertEquals(
    unitCgroupPath("/m", { slice: "system.slice", unit: "x-y.slice" }),
    "/m/x.slice/x-y.slice",
  );
});

Deno.test("unitProperties() of a scope: Slice, Delegate, PIDs, accounting, no default dependencies", () => {
  const props = unitProperties(
    { slice: "system.slice", unit: "runo-x.scope" },
    42,
    "x",
    {},
    { version: 2, systemdVersion: 252 },
  );
  assertEquals(props.map(([k]) => k), [
    "Description",
    "Slice",
    "Delegate",
    "PIDs",
    "MemoryAccounting",
    "CPUAccounting",
    "IOAccounting",
    "TasksAccounting",
    "DefaultDependencies",
  ]);
  assertEquals(Object.fromEntries(props)["PIDs"].value, [42]);
  assertEquals(Object.fromEntries(props)["Delegate"].value, true);
  assertEquals(Object.fromEntries(props)["DefaultDependencies"].value, false);
});

Deno.test("unitProperties() of a slice names its parent with Wants, v1 BlockIOAccounting", () => {
  const props = Object.fromEntries(unitProperties(
    { slice: "a.slice", unit: "a-b.slice" },
    42,
    "x",
    {},
    { version: 1, systemdVersion: 252 },
  ));
  assertEquals(props["Wants"].value, ["a.slice"]);
  assertEquals(props["Slice"], undefined);
  // systemd refuses PIDs= for a slice; the init joins through cgroupfs.
  assertEquals(props["PIDs"], undefined);
  assertEquals(props["BlockIOAccounting"].value, true);
});

Deno.test("resourceProperties() v2: MemoryMax, MemoryLow, MemorySwapMax, CPUWeight, TasksMax, cpusets", () => {
  const props = Object.fromEntries(resourceProperties(
    {
      memory: { limit: 64 << 20, reservation: 32 << 20, swap: 96 << 20 },
      cpu: { shares: 1024, cpus: "0-2,5", mems: "0" },
      pids: { limit: -1 },
    },
    { version: 2, systemdVersion: 252 },
  ));
  assertEquals(props["MemoryMax"].value, 64n << 20n);
  assertEquals(props["MemoryLow"].value, 32n << 20n);
  assertEquals(props["MemorySwapMax"].value, 32n << 20n);
  assertEquals(props["CPUWeight"].value, 39n);
  assertEquals(props["TasksMax"].value, U64_MAX);
  assertEquals(props["AllowedCPUs"].value, [0b100111]);
  assertEquals(props["AllowedMemoryNodes"].value, [1]);
});

Deno.test("resourceProperties() v1: MemoryLimit, CPUShares, BlockIOWeight; -1 is infinity", () => {
  const props = Object.fromEntries(resourceProperties(
    { memory: { limit: -1 }, cpu: { shares: 512 }, blockIO: { weight: 300 }, pids: { limit: 42 } },
    { version: 1, systemdVersion: 252 },
  ));
  assertEquals(props["MemoryLimit"].value, U64_MAX);
  assertEquals(props["CPUShares"].value, 512n);
  assertEquals(props["BlockIOWeight"].value, 300n);
  assertEquals(props["TasksMax"].value, 42n);
});

Deno.test("resourceProperties() leaves out AllowedCPUs before systemd 244", () => {
  const props = resourceProperties({ cpu: { cpus: "0" } }, { version: 2, systemdVersion: 243 });
  assertEquals(props, []);
});

Deno.test("cpuQuota() rounds a fractional percent up to the next 10 ms, as runc", () => {
  // 40000/80000 = 0.5 s per second, exact.
  assertEquals(cpuQuota(40000, 80000, 252).map(([k, v]) => [k, v.value]), [
    ["CPUQuotaPeriodUSec", 80000n],
    ["CPUQuotaPerSecUSec", 500000n],
  ]);
  // 12345/100000 = 123450 µs → 130000.
  assertEquals(cpuQuota(12345, 0, 252)[0][1].value, 130000n);
  // A period alone: unlimited quota; no period property before 242.
  assertEquals(cpuQuota(0, 50000, 241).map(([k, v]) => [k, v.value]), [
    ["CPUQuotaPerSecUSec", U64_MAX],
  ]);
  assertEquals(cpuQuota(0, 0, 252), []);
});

Deno.test("rangeToBits() sets one bit per cpu, little-endian bytes; refuses a bad list", () => {
  assertEquals(rangeToBits("0", "cpus"), [1]);
  assertEquals(rangeToBits("8-9,1", "cpus"), [2, 3]);
  const err = assertThrows(() => rangeToBits("3-1", "mems"), ConfigError, "invalid cpu list");
  assertEquals(err.pointer, "/linux/resources/cpu/mems");
});

Deno.test("systemdMajor() reads the major version of Manager.Version", () => {
  assertEquals(systemdMajor("252.38-1~deb12u1"), 252);
  assertEquals(systemdMajor("v255"), 255);
  assertEquals(systemdMajor(""), 0);
});
