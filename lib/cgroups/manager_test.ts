// The managers against in-memory trees that mimic cgroup2 and v1 files.
import { assert, assertEquals, assertRejects, assertThrows } from "../testing/assert.ts";
import { createCgroupManager } from "./manager.ts";
import { MemCgroupFs } from "./memfs.ts";
import type { CgroupLayout } from "./layout.ts";
import { normalizeRule } from "./devices.ts";
import { ConfigError } from "../spec/config_error.ts";

const U = "/sys/fs/cgroup";
const UNIFIED: CgroupLayout = { mode: "unified", v1: [], unified: { mountpoint: U, ownPath: "/" } };

function v2Tree(): MemCgroupFs {
  const fs = new MemCgroupFs({
    [`${U}/cgroup.controllers`]: "cpuset cpu io memory pids",
    [`${U}/cgroup.subtree_control`]: "",
    [`${U}/cgroup.procs`]: "1\n",
  });
  // The kernel fills a new cgroup with its files; enough of them here.
  const mkdir = fs.mkdir.bind(fs);
  fs.mkdir = (path) => {
    const made = mkdir(path);
    if (!made) return false;
    fs.files.set(`${path}/cgroup.controllers`, "cpuset cpu io memory pids");
    fs.files.set(`${path}/cgroup.procs`, "");
    fs.files.set(`${path}/cgroup.events`, "populated 0\nfrozen 0\n");
    return made;
  };
  fs.onWrite = (path, value) => {
    if (path.endsWith("/cgroup.freeze")) {
      fs.files.set(
        path.replace("cgroup.freeze", "cgroup.events"),
        `populated 1\nfrozen ${value}\n`,
      );
    }
  };
  return fs;
}

Deno.test("v2 manager: apply enables controllers down the path and joins the pid", () => {
  const fs = v2Tree();
  const m = createCgroupManager({ layout: UNIFIED, cgroupsPath: "/a/b", id: "c1", fs });
  assertEquals(m.record, { version: 2, paths: { "": `${U}/a/b` } });
  m.apply(42);
  assertEquals(fs.log, [
    `${U}/cgroup.subtree_control=+cpuset +cpu +io +memory +pids`,
    `${U}/a/cgroup.subtree_control=+cpuset +cpu +io +memory +pids`,
    `${U}/a/b/cgroup.procs=42`,
  ]);
  assertEquals(m.pids(), [42]);
});

Deno.test("v2 manager: set writes converted limits and hands device rules to the BPF loader", () => {
  const fs = v2Tree();
  const attached: string[] = [];
  const m = createCgroupManager({
    layout: UNIFIED,
    cgroupsPath: "",
    id: "c1",
    fs,
    attachDevices: (dir, rules) => attached.push(`${dir}:${rules.length}`),
  });
  m.apply(7);
  fs.log.length = 0;
  m.set({ memory: { limit: 1 << 20 }, cpu: { shares: 2 }, pids: { limit: 9 } }, [
    normalizeRule({ allow: false }),
  ]);
  assertEquals(fs.log, [
    `${U}/c1/memory.max=1048576`,
    `${U}/c1/cpu.weight=1`,
    `${U}/c1/pids.max=9`,
  ]);
  assertEquals(attached, [`${U}/c1:1`]);
});

Deno.test("v2 manager: freeze waits for cgroup.events frozen 1; thaw clears it", async () => {
  const fs = v2Tree();
  const m = createCgroupManager({ layout: UNIFIED, cgroupsPath: "/f", id: "c1", fs });
  m.apply(7);
  await m.freeze();
  assert(m.isFrozen());
  m.thaw();
  assert(!m.isFrozen());
});

Deno.test("v2 manager: apply joins an existing cgroup that has processes (ContainerCgroups warns)", () => {
  const fs = v2Tree();
  fs.mkdir(`${U}/busy`);
  fs.files.set(`${U}/busy/cgroup.procs`, "99\n");
  const m = createCgroupManager({ layout: UNIFIED, cgroupsPath: "/busy", id: "c1", fs });
  m.apply(7);
  assertEquals(m.pids(), [99, 7]);
});

Deno.test("v2 manager: destroy waits for the processes to go, then removes the directory", async () => {
  const fs = v2Tree();
  const m = createCgroupManager({ layout: UNIFIED, cgroupsPath: "/d", id: "c1", fs });
  m.apply(7);
  setTimeout(() => fs.files.set(`${U}/d/cgroup.procs`, ""), 30);
  await m.destroy();
  assert(!fs.dirs.has(`${U}/d`));
});

Deno.test("v2 manager: stats and oom kills come from cpu.stat, memory.*, pids.*, io.stat", () => {
  const fs = v2Tree();
  const m = createCgroupManager({ layout: UNIFIED, cgroupsPath: "/s", id: "c1", fs });
  m.apply(7);
  fs.files.set(`${U}/s/cpu.stat`, "usage_usec 10\nuser_usec 6\nsystem_usec 4\nnr_periods 2\n");
  fs.files.set(`${U}/s/memory.current`, "4096\n");
  fs.files.set(`${U}/s/memory.max`, "max\n");
  fs.files.set(`${U}/s/memory.events`, "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n");
  fs.files.set(`${U}/s/pids.current`, "3\n");
  fs.files.set(`${U}/s/io.stat`, "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n");
  const s = m.stats();
  assertEquals(s.cpu.usage, { total: 10000, user: 6000, kernel: 4000 });
  assertEquals(s.memory.usage?.usage, 4096);
  assertEquals(s.memory.usage?.failcnt, 3);
  assertEquals(s.pids.current, 3);
  assertEquals(s.blkio.ioServiceBytesRecursive?.[1], {
    major: 8,
    minor: 0,
    op: "Write",
    value: 200,
  });
  assertEquals(m.oomKills(), 2);
});

const V1: CgroupLayout = {
  mode: "hybrid",
  v1: [
    { mountpoint: "/cg/cpuset", controllers: ["cpuset"], ownPath: "/" },
    { mountpoint: "/cg/memory", controllers: ["memory"], ownPath: "/own" },
    { mountpoint: "/cg/freezer", controllers: ["freezer"], ownPath: "/" },
  ],
  unified: { mountpoint: "/cg/unified", ownPath: "/" },
};

function v1Tree(): MemCgroupFs {
  return new MemCgroupFs({
    "/cg/cpuset/cpuset.cpus": "0-1\n",
    "/cg/cpuset/cpuset.mems": "0\n",
    "/cg/memory/own/memory.limit_in_bytes": "9223372036854771712\n",
    "/cg/freezer/cgroup.procs": "1\n",
    "/cg/unified/cgroup.procs": "1\n",
  });
}

Deno.test("v1 manager: relative paths go under each hierarchy's own cgroup; cpuset is inherited", () => {
  const fs = v1Tree();
  const m = createCgroupManager({ layout: V1, cgroupsPath: "x/c1", id: "c1", fs });
  assertEquals(m.record.paths, {
    cpuset: "/cg/cpuset/x/c1",
    memory: "/cg/memory/own/x/c1",
    freezer: "/cg/freezer/x/c1",
    "": "/cg/unified/x/c1",
  });
  m.apply(5);
  assertEquals(fs.log.filter((l) => l.includes("cpuset.")), [
    "/cg/cpuset/x/cpuset.cpus=0-1",
    "/cg/cpuset/x/cpuset.mems=0",
    "/cg/cpuset/x/c1/cpuset.cpus=0-1",
    "/cg/cpuset/x/c1/cpuset.mems=0",
  ]);
  assertEquals(fs.read("/cg/memory/own/x/c1/cgroup.procs"), "5\n");
  assertEquals(m.v1Paths(), [
    { mountpoint: "/cg/cpuset", path: "/x/c1" },
    { mountpoint: "/cg/memory", path: "/own/x/c1" },
    { mountpoint: "/cg/freezer", path: "/x/c1" },
  ]);
});

Deno.test("v1 manager: set writes each controller's plan", () => {
  const fs = v1Tree();
  const m = createCgroupManager({ layout: V1, cgroupsPath: "/c1", id: "c1", fs });
  m.apply(5);
  fs.log.length = 0;
  const warnings = m.set({ memory: { limit: 1 << 20, swappiness: 0 } });
  assertEquals(fs.log, [
    "/cg/memory/c1/memory.limit_in_bytes=1048576",
    "/cg/memory/c1/memory.swappiness=0",
  ]);
  assertEquals(warnings, []);
});

Deno.test("v1 manager: limits of an unmounted controller are refused before any write", () => {
  const fs = v1Tree();
  const m = createCgroupManager({ layout: V1, cgroupsPath: "/c1", id: "c1", fs });
  m.apply(5);
  fs.log.length = 0;
  const err = assertThrows(
    () => m.set({ memory: { limit: 1 << 20 }, hugepageLimits: [{ pageSize: "2MB", limit: 0 }] }),
    ConfigError,
    'controller "hugetlb" is not mounted',
  );
  assertEquals(err.pointer, "/linux/resources/hugepageLimits");
  assertEquals(fs.log, []);
});

Deno.test("v1 manager on a hybrid host: hugetlb bound to the cgroup2 tree is set there, in v2 files", () => {
  const fs = v1Tree();
  fs.files.set("/cg/unified/cgroup.controllers", "hugetlb\n");
  fs.files.set("/cg/unified/cgroup.subtree_control", "\n");
  const m = createCgroupManager({ layout: V1, cgroupsPath: "/p/c1", id: "c1", fs });
  m.apply(5);
  fs.log.length = 0;
  const warnings = m.set({
    memory: { limit: 1 << 20 },
    hugepageLimits: [{ pageSize: "2MB", limit: 4 << 20 }, { pageSize: "1GB", limit: 0 }],
  });
  assertEquals(warnings, []);
  assertEquals(fs.log, [
    "/cg/unified/cgroup.subtree_control=+hugetlb",
    "/cg/unified/p/cgroup.subtree_control=+hugetlb",
    "/cg/unified/p/c1/hugetlb.2MB.max=4194304",
    "/cg/unified/p/c1/hugetlb.1GB.max=0",
    "/cg/memory/p/c1/memory.limit_in_bytes=1048576",
  ]);
});

Deno.test("v1 manager on a hybrid host: hugetlb stats come from the cgroup2 files", () => {
  const fs = v1Tree();
  fs.files.set("/cg/unified/cgroup.controllers", "hugetlb\n");
  fs.mkdir("/sys/kernel/mm/hugepages/hugepages-2048kB");
  const m = createCgroupManager({ layout: V1, cgroupsPath: "/c1", id: "c1", fs });
  m.apply(5);
  fs.files.set("/cg/unified/c1/hugetlb.2MB.current", "2097152\n");
  fs.files.set("/cg/unified/c1/hugetlb.2MB.events", "max 1\n");
  assertEquals(m.stats().hugetlb, { "2MB": { usage: 2097152, failcnt: 1 } });
});

Deno.test("v1 manager: freeze writes FROZEN until the kernel reports it", async () => {
  const fs = v1Tree();
  const m = createCgroupManager({ layout: V1, cgroupsPath: "/c1", id: "c1", fs });
  m.apply(5);
  await m.freeze();
  assert(m.isFrozen());
  m.thaw();
  assertEquals(fs.read("/cg/freezer/c1/freezer.state"), "THAWED");
});

Deno.test("v1 manager: freeze gives up after 2 s and thaws when FROZEN never comes", async () => {
  const fs = v1Tree();
  const m = createCgroupManager({ layout: V1, cgroupsPath: "/c1", id: "c1", fs });
  m.apply(5);
  fs.onWrite = (p, v) => {
    if (v === "FROZEN") fs.files.set(p, "FREEZING");
  };
  await assertRejects(() => m.freeze(), Error, "did not reach FROZEN");
  assertEquals(fs.read("/cg/freezer/c1/freezer.state"), "THAWED");
});

Deno.test("v1 manager: unified (v2) settings are refused with their pointer", () => {
  const fs = v1Tree();
  const m = createCgroupManager({ layout: V1, cgroupsPath: "/c1", id: "c1", fs });
  const err = assertThrows(() => m.set({ unified: { "memory.high": "1" } }), ConfigError);
  assertEquals(err.pointer, "/linux/resources/unified");
});

Deno.test("v2 manager: pids and destroy cover the child cgroups the container made", async () => {
  const fs = v2Tree();
  const m = createCgroupManager({ layout: UNIFIED, cgroupsPath: "/n", id: "c1", fs });
  m.apply(7);
  fs.mkdir(`${U}/n/inner`);
  fs.mkdir(`${U}/n/inner/deeper`);
  fs.files.set(`${U}/n/inner/deeper/cgroup.procs`, "8\n");
  assertEquals(m.pids().sort(), [7, 8]);
  fs.files.set(`${U}/n/cgroup.procs`, "");
  setTimeout(() => fs.files.set(`${U}/n/inner/deeper/cgroup.procs`, ""), 20);
  await m.destroy();
  assertEquals([...fs.dirs].filter((d) => d.startsWith(`${U}/n`)), []);
});

Deno.test("v1 manager: a period refused with EINVAL is written again after the quota (runc)", () => {
  const fs = v1Tree();
  fs.dirs.add("/cg/cpu");
  const layout: CgroupLayout = {
    ...V1,
    v1: [...V1.v1, { controllers: ["cpu"], mountpoint: "/cg/cpu", ownPath: "/" }],
  };
  const m = createCgroupManager({ layout, cgroupsPath: "/c1", id: "c1", fs });
  m.apply(5);
  fs.log.length = 0;
  // The kernel refuses the shorter period until the quota fits it.
  const period = "/cg/cpu/c1/cpu.cfs_period_us";
  fs.failing.set(period, 22);
  fs.onWrite = (path) => path.endsWith("/cpu.cfs_quota_us") && fs.failing.delete(period);
  m.set({ cpu: { quota: 20000, period: 50000 } });
  assertEquals(fs.log, ["/cg/cpu/c1/cpu.cfs_quota_us=20000", `${period}=50000`]);
  // Another errno, or no quota to write, is an error as before.
  fs.failing.set(period, 22);
  fs.onWrite = undefined;
  assertThrows(() => m.set({ cpu: { period: 50000 } }), Error, "EINVAL");
});
