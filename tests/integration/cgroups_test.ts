// cgroups on this host's v1 controllers (hybrid layout): every limit of
// linux.resources written to the container's cgroup files and seen from
// inside the container, the init placed in its cgroups, and the cgroup
// paths recorded and removed again. pause/resume/update/ps/events and the
// other cgroup commands are in cgroups_commands_test.ts.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import {
  host,
  hostHas,
  isRunc,
  oneLineError,
  requires,
  sandbox,
  uniqueId,
  waitFor,
} from "../fixtures/runo.ts";
import { runDetached, shIn, SLEEPER } from "../fixtures/container.ts";
import { containerCgroups, dirExists, hostRead } from "../fixtures/cgroups.ts";

const needs = requires("root", "busybox", "cli");

const RESOURCES = (c: Config) => {
  c.linux!.resources = {
    ...c.linux!.resources,
    memory: {
      limit: 64 << 20,
      reservation: 32 << 20,
      swap: 128 << 20,
      swappiness: 20,
      disableOOMKiller: false,
    },
    cpu: {
      shares: 512,
      quota: 40000,
      period: 80000,
      realtimePeriod: 1000000,
      realtimeRuntime: 1000,
      cpus: "0",
      mems: "0",
      idle: 0,
    },
    pids: { limit: 42 },
    blockIO: {
      weight: 300,
      throttleReadBpsDevice: [{ major: 254, minor: 0, rate: 1048576 }],
      throttleWriteIOPSDevice: [{ major: 254, minor: 0, rate: 77 }],
    },
  };
};

Deno.test({
  name: "cgroups: each resource is written to its v1 file and read back from inside the container",
  ...needs,
  async fn() {
    const out = await shIn(
      [
        "cd /sys/fs/cgroup",
        "for f in memory/memory.limit_in_bytes memory/memory.soft_limit_in_bytes" +
        " memory/memory.memsw.limit_in_bytes memory/memory.swappiness cpu/cpu.shares" +
        " cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.rt_period_us cpu/cpu.rt_runtime_us" +
        " cpuset/cpuset.cpus cpuset/cpuset.mems pids/pids.max blkio/blkio.bfq.weight" +
        " blkio/blkio.throttle.read_bps_device blkio/blkio.throttle.write_iops_device; do",
        '  echo "$f=$(cat $f | tr "\\n" " " | sed "s/ *$//")"',
        "done",
      ].join("\n"),
      { config: RESOURCES },
    );
    const got = Object.fromEntries(out.trim().split("\n").map((l) => l.split("=")));
    assert.deepEqual(got, {
      "memory/memory.limit_in_bytes": String(64 << 20),
      "memory/memory.soft_limit_in_bytes": String(32 << 20),
      "memory/memory.memsw.limit_in_bytes": String(128 << 20),
      "memory/memory.swappiness": "20",
      "cpu/cpu.shares": "512",
      "cpu/cpu.cfs_quota_us": "40000",
      "cpu/cpu.cfs_period_us": "80000",
      "cpu/cpu.rt_period_us": "1000000",
      "cpu/cpu.rt_runtime_us": "1000",
      "cpuset/cpuset.cpus": "0",
      "cpuset/cpuset.mems": "0",
      "pids/pids.max": "42",
      "blkio/blkio.bfq.weight": "300",
      "blkio/blkio.throttle.read_bps_device": "254:0 1048576",
      "blkio/blkio.throttle.write_iops_device": "254:0 77",
    });
  },
});

Deno.test({
  name: "cgroups: the init is in the recorded cgroups (host files) and /proc/self/cgroup says so",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = await runDetached(sb, bundle);
    const paths = await containerCgroups(sb, id);
    const state = JSON.parse((await sb.runo(["state", id])).stdout);
    for (const c of ["memory", "pids", "cpu", "cpuset", "freezer", "devices", "blkio", "unified"]) {
      assert.ok(paths[c]?.endsWith(`/${id}`), `${c}: ${paths[c]}`);
      const procs = (await hostRead(`${paths[c]}/cgroup.procs`)).split("\n").map(Number);
      assert.ok(procs.includes(state.pid), `${c}: init ${state.pid} not in ${procs}`);
    }
    const inside = await host("cat", [`/proc/${state.pid}/cgroup`]);
    assert.match(inside.stdout, new RegExp(`^\\d+:pids:/(.*/)?${id}$`, "m"));
    assert.match(inside.stdout, new RegExp(`^0::/(.*/)?${id}$`, "m"));
    const del = await sb.runo(["delete", "--force", id]);
    assert.equal(del.code, 0, del.stderr);
    for (const [c, dir] of Object.entries(paths)) {
      assert.equal(await dirExists(dir), false, `${c} cgroup ${dir} left after delete`);
    }
  },
});

Deno.test({
  name:
    "cgroups: an absolute cgroupsPath is used from each hierarchy's root, and removed by delete",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const parent = `runo-test-${uniqueId()}`;
    await using bundle = await createBundle({
      args: ["cat", "/proc/self/cgroup"],
      config: (c) => c.linux!.cgroupsPath = `/${parent}/leaf`,
    });
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-b", bundle.dir, id]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^\\d+:memory:/${parent}/leaf$`, "m"));
    assert.equal(await dirExists(`/sys/fs/cgroup/pids/${parent}/leaf`), false);
    // As runc, only the leaf is removed; the test removes the parent.
    for (const h of ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"]) {
      await host("rmdir", [`/sys/fs/cgroup/${h}/${parent}`]);
    }
    await host("rmdir", [`/sys/fs/cgroup/systemd/${parent}`, `/sys/fs/cgroup/unified/${parent}`]);
  },
});

Deno.test({
  name: "cgroups: the pids limit stops a (bounded) fork bomb",
  ...needs,
  async fn() {
    const out = await shIn(
      // 40 background sleeps against a limit of 12: forks fail with EAGAIN
      // and the subshell gives up. Then only builtins (no fork is left):
      // read, echo, and kill -1 from PID 1 to end the sleeps.
      "(for i in $(seq 40); do sleep 5 & done) 2>/dev/null; " +
        "read cur < /sys/fs/cgroup/pids/pids.current; read max < /sys/fs/cgroup/pids/pids.max; " +
        "echo current=$cur max=$max; kill -9 -1; true",
      { config: (c) => c.linux!.resources = { ...c.linux!.resources, pids: { limit: 12 } } },
    );
    const m = /current=(\d+) max=(\d+)/.exec(out);
    assert.ok(m, out);
    assert.equal(m[2], "12");
    assert.ok(Number(m[1]) <= 12, `pids.current ${m[1]} above the limit`);
    assert.ok(Number(m[1]) >= 10, `the bomb should fill the limit, got ${m[1]}`);
  },
});

Deno.test({
  name: "cgroups: device rules block a disk node made with mknod, and allow the rules' devices",
  ...needs,
  async fn() {
    const out = await shIn(
      [
        "mknod /dev/t-sda b 8 0 && echo mknod-ok",
        "head -c1 /dev/t-sda >/dev/null 2>/dev/t-err; echo sda=$?; cat /dev/t-err",
        "mknod /dev/t-mem c 1 1 && head -c1 /dev/t-mem >/dev/null 2>&1; echo mem=$?",
        "mknod /dev/t-null c 1 3 && echo x >/dev/t-null; echo null=$?",
        // A loop device: readable (0 bytes), writes refused by the last rule.
        "mknod /dev/t-loop b 7 0 && head -c1 /dev/t-loop >/dev/null; echo loop-read=$?",
        "echo x 2>/dev/t-err >/dev/t-loop; echo loop-write=$?; cat /dev/t-err",
      ].join("\n"),
      {
        config: (c) => {
          for (const set of ["bounding", "effective", "permitted"] as const) {
            c.process!.capabilities![set]!.push("CAP_MKNOD");
          }
          c.linux!.resources!.devices!.push(
            { allow: true, type: "b", major: 7, minor: 0, access: "rw" },
            // The last matching rule wins: writes to b 7:0 denied again.
            { allow: false, type: "b", major: 7, minor: 0, access: "w" },
          );
        },
      },
    );
    assert.match(out, /^mknod-ok$/m);
    assert.match(out, /^sda=1$/m);
    assert.match(out, /Operation not permitted/);
    assert.match(out, /^mem=1$/m);
    assert.match(out, /^null=0$/m);
    assert.match(out, /^loop-read=0$/m);
    assert.match(out, /^loop-write=1\n.*t-loop: Operation not permitted$/m);
  },
});

Deno.test({
  name: "cgroups: create failing half way leaves no cgroup, state or process",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const parent = `runo-fail-${uniqueId()}`;
    await using bundle = await createBundle({
      args: ["/no/such/program"],
      config: (c) => c.linux!.cgroupsPath = `/${parent}`,
    });
    const id = sb.track(uniqueId());
    const r = await sb.runo(["create", "-b", bundle.dir, id], { reap: true });
    assert.notEqual(r.code, 0);
    oneLineError(r.stderr);
    assert.deepEqual(r.orphans, []);
    for (const h of ["memory", "pids", "cpu", "freezer", "devices", "systemd", "unified"]) {
      assert.equal(await dirExists(`/sys/fs/cgroup/${h}/${parent}`), false, `${h} cgroup left`);
    }
    assert.equal((await host("test", ["-e", `${sb.root}/${id}`])).code, 1, "state dir left");
  },
});

Deno.test({
  name:
    "cgroups: a cgroup that already has processes is used with runc 1.1's warning; delete leaves it and them",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const name = `runo-busy-${uniqueId()}`;
    const cg = `/sys/fs/cgroup/pids/${name}`;
    // A host process parked in the would-be container cgroup.
    const sleeper = new Deno.Command("sh", {
      args: ["-c", `mkdir ${cg} && echo $$ > ${cg}/cgroup.procs && exec sleep 30`],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      assert.ok(
        await waitFor(async () => (await hostRead(`${cg}/cgroup.procs`).catch(() => "")) !== ""),
        "the host process never reached the cgroup (set-up)",
      );
      await using bundle = await createBundle({
        args: ["cat", "/proc/self/cgroup"],
        config: (c) => c.linux!.cgroupsPath = `/${name}`,
      });
      const id = sb.track(uniqueId());
      const r = await sb.runo(["run", "-b", bundle.dir, id]);
      assert.equal(r.code, 0, r.stderr);
      // runc 1.1.5 looks only in the devices hierarchy, empty here: no
      // warning; at delete it tries the rmdir and logs EBUSY.
      if (!isRunc()) assert.match(r.stderr, /cgroup is not empty: 1 process\(es\) found/);
      assert.match(r.stdout, new RegExp(`^\\d+:pids:/${name}$`, "m"), "not in the cgroup");
      // run deleted the container: someone else's cgroup and process stay.
      assert.equal(await dirExists(cg), true, "someone else's cgroup must stay");
      assert.equal(await hostRead(`${cg}/cgroup.procs`), String(sleeper.pid));
    } finally {
      sleeper.kill("SIGKILL");
      await sleeper.status;
      await host("rmdir", [cg]);
      for (const h of ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio"]) {
        await host("rmdir", [`/sys/fs/cgroup/${h}/${name}`]);
      }
      await host("rmdir", [`/sys/fs/cgroup/systemd/${name}`, `/sys/fs/cgroup/unified/${name}`]);
    }
  },
});

Deno.test({
  name: "cgroups: --systemd-cgroup without systemd is a one-line error and leaves nothing",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["true"] });
    const id = sb.track(uniqueId());
    const r = await sb.runo(["--systemd-cgroup", "create", "-b", bundle.dir, id], { reap: true });
    assert.notEqual(r.code, 0);
    const line = oneLineError(r.stderr);
    // runc: "systemd not running on this host, cannot use systemd cgroups manager".
    if (!isRunc()) assert.match(line, /--systemd-cgroup: systemd is not running/);
    assert.deepEqual(r.orphans, []);
    assert.equal((await host("test", ["-e", `${sb.root}/${id}`])).code, 1);
    assert.equal(await dirExists(`/sys/fs/cgroup/pids/${id}`), false);
  },
});

Deno.test({
  name:
    "cgroups: linux.resources.unified on this v1 host is refused with its pointer, nothing left",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["true"],
      config: (c) => c.linux!.resources = { ...c.linux!.resources, unified: { "pids.max": "5" } },
    });
    const id = sb.track(uniqueId());
    const r = await sb.runo(["create", "-b", bundle.dir, id], { reap: true });
    assert.notEqual(r.code, 0);
    const line = oneLineError(r.stderr);
    // runc: "invalid configuration: cannot use unified on cgroup v1", without a pointer.
    if (!isRunc()) assert.match(line, /config\.json: \/linux\/resources\/unified: cgroup v2/);
    assert.deepEqual(r.orphans, []);
    assert.equal((await host("test", ["-e", `${sb.root}/${id}`])).code, 1);
    assert.equal(await dirExists(`/sys/fs/cgroup/pids/${id}`), false);
  },
});

Deno.test({
  name: "cgroups: with a cgroup namespace the container's cgroup is its root, limits visible",
  ...needs,
  async fn() {
    const out = await shIn("cat /proc/self/cgroup; echo max=$(cat /sys/fs/cgroup/pids/pids.max)", {
      config: (c) => {
        c.linux!.namespaces!.push({ type: "cgroup" });
        c.linux!.resources = { ...c.linux!.resources, pids: { limit: 17 } };
      },
    });
    // Joined before the namespace was made: every hierarchy's path is "/".
    assert.match(out, /^\d+:pids:\/$/m);
    assert.match(out, /^\d+:memory:\/$/m);
    assert.match(out, /^0::\/$/m);
    assert.match(out, /^max=17$/m);
  },
});

Deno.test({
  // This hybrid host binds hugetlb to its cgroup2 tree, not to a v1
  // hierarchy: the v1 manager sets it there, in v2 files (runc refuses).
  // Where neither tree has it, the limit is refused and nothing is left.
  name:
    "cgroups: hugepageLimits on a hybrid host land in the cgroup2 tree; update and stats see them",
  ...requires(
    "root",
    "busybox",
    "cli",
    hostHas("! test -d /sys/fs/cgroup/hugetlb", "are for a host without a v1 hugetlb hierarchy"),
  ),
  async fn() {
    // No cgroup2 tree at all: hugetlb is nowhere, the refusal below.
    const inUnified = (await hostRead("/sys/fs/cgroup/unified/cgroup.controllers").catch(() => ""))
      .split(/\s+/).includes("hugetlb");
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: SLEEPER,
      config: (c) =>
        c.linux!.resources = {
          ...c.linux!.resources,
          hugepageLimits: [{ pageSize: "2MB", limit: 4 << 20 }],
        },
    });
    // runo differs on purpose: runc 1.1.5 refuses the limit ("cannot set hugetlb
    // limit: container could not join or create cgroup"); runo honours it in the
    // tree that has the controller.
    if (!inUnified || isRunc()) {
      const id = sb.track(uniqueId());
      const r = await sb.runo(["run", "-d", "-b", bundle.dir, id], { reap: true });
      assert.notEqual(r.code, 0);
      const line = oneLineError(r.stderr);
      const want = isRunc()
        ? /cannot set hugetlb limit/
        : /\/linux\/resources\/hugepageLimits: cgroup v1 controller "hugetlb" is not mounted/;
      assert.match(line, want);
      assert.deepEqual(r.orphans, []);
      assert.equal((await host("test", ["-e", `${sb.root}/${id}`])).code, 1);
      // runc 1.1.5 leaves this failed create's cgroup directories: not the host's to keep.
      if (isRunc()) await host("sh", ["-c", `rmdir /sys/fs/cgroup/*/${id} 2>/dev/null; true`]);
      return;
    }
    const id = await runDetached(sb, bundle);
    const unified = (await containerCgroups(sb, id)).unified;
    assert.equal(await hostRead(`${unified}/hugetlb.2MB.max`), String(4 << 20));
    // The init is in that cgroup2 directory.
    const state = JSON.parse((await sb.runo(["state", id])).stdout);
    const procs = (await hostRead(`${unified}/cgroup.procs`)).split("\n");
    assert.ok(procs.includes(String(state.pid)), `${state.pid} in ${procs}`);
    const u = await sb.runo(["update", "--resources", "-", id], {
      stdin: JSON.stringify({ hugepageLimits: [{ pageSize: "2MB", limit: 8 << 20 }] }),
    });
    assert.equal(u.code, 0, u.stderr);
    assert.equal(await hostRead(`${unified}/hugetlb.2MB.max`), String(8 << 20));
    const ev = await sb.runo(["events", "--stats", id]);
    assert.equal(ev.code, 0, ev.stderr);
    const hugetlb = JSON.parse(ev.stdout).data.hugetlb;
    assert.deepEqual(hugetlb["2MB"], {
      usage: Number(await hostRead(`${unified}/hugetlb.2MB.current`)),
      failcnt: 0,
    });
    assert.equal((await sb.runo(["delete", "-f", id])).code, 0);
    assert.equal(await dirExists(unified), false);
  },
});
