// The cgroup commands on real containers: pause/resume, update, ps,
// kill --all, delete of a paused container. events: cgroups_events_test.ts;
// the cgroup v2 pieces on the unified tree: cgroups_v2_test.ts.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import {
  isRunc,
  oneLineError,
  requires,
  runoOnly,
  sandbox,
  waitFor,
  waitStatus,
} from "../fixtures/runo.ts";
import { containerCgroups, dirExists, hostRead } from "../fixtures/cgroups.ts";
import { runDetached, SLEEPER } from "../fixtures/container.ts";

const needs = requires("root", "busybox", "cli");

const BUSY = ["sh", "-c", "while :; do :; done"];

Deno.test({
  name: "pause freezes a busy loop (state paused, CPU time stops), resume lets it run again",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: BUSY });
    const id = await runDetached(sb, bundle);
    const usage = `${(await containerCgroups(sb, id)).cpuacct}/cpuacct.usage`;
    const cpu = async () => Number(await hostRead(usage));

    const p = await sb.runo(["pause", id]);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(await waitStatus(sb, id, "paused"), "paused");
    assert.equal(
      await hostRead(`${(await containerCgroups(sb, id)).freezer}/freezer.state`),
      "FROZEN",
    );
    const t0 = await cpu();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await cpu(), t0, "CPU time advanced while paused");
    const again = await sb.runo(["pause", id]);
    assert.notEqual(again.code, 0);
    const twice = oneLineError(again.stderr);
    // runc words it "container not running".
    if (!isRunc()) assert.match(twice, /is not running: paused/);

    const r = await sb.runo(["resume", id]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await waitStatus(sb, id, "running"), "running");
    const t1 = await cpu();
    assert.ok(await waitFor(async () => (await cpu()) > t1 + 10_000_000), "no CPU after resume");
    const bad = await sb.runo(["resume", id]);
    assert.notEqual(bad.code, 0);
    const notPaused = oneLineError(bad.stderr);
    // runc words it "container not paused".
    if (!isRunc()) assert.match(notPaused, /is not paused: running/);
  },
});

Deno.test({
  name: "update changes the limits of a running container (flags and --resources -)",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: SLEEPER,
      config: (c) => c.linux!.resources = { ...c.linux!.resources, memory: { limit: 64 << 20 } },
    });
    const id = await runDetached(sb, bundle);
    const p = await containerCgroups(sb, id);
    const u = await sb.runo([
      "update",
      "--memory",
      "48m",
      "--memory-swap",
      "96m",
      "--memory-reservation",
      "16m",
      "--cpu-quota",
      "30000",
      "--cpu-period",
      "60000",
      "--cpu-share",
      "256",
      "--cpuset-cpus",
      "0",
      "--pids-limit",
      "33",
      "--blkio-weight",
      "200",
      id,
    ]);
    assert.equal(u.code, 0, u.stderr);
    assert.equal(await hostRead(`${p.memory}/memory.limit_in_bytes`), String(48 << 20));
    assert.equal(await hostRead(`${p.memory}/memory.memsw.limit_in_bytes`), String(96 << 20));
    assert.equal(await hostRead(`${p.memory}/memory.soft_limit_in_bytes`), String(16 << 20));
    assert.equal(await hostRead(`${p.cpu}/cpu.cfs_quota_us`), "30000");
    assert.equal(await hostRead(`${p.cpu}/cpu.cfs_period_us`), "60000");
    assert.equal(await hostRead(`${p.cpu}/cpu.shares`), "256");
    assert.equal(await hostRead(`${p.cpuset}/cpuset.cpus`), "0");
    assert.equal(await hostRead(`${p.pids}/pids.max`), "33");
    assert.equal(await hostRead(`${p.blkio}/blkio.bfq.weight`), "200");

    const json = JSON.stringify({
      pids: { limit: 77 },
      memory: { limit: 80 << 20, swap: 160 << 20 },
    });
    const r = await sb.runo(["update", "--resources", "-", id], { stdin: json });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await hostRead(`${p.pids}/pids.max`), "77");
    assert.equal(await hostRead(`${p.memory}/memory.limit_in_bytes`), String(80 << 20));
    if (!isRunc()) {
      // runo's state.json keeps the OCI config (runc's keeps its own libcontainer config).
      const state = JSON.parse(await Deno.readTextFile(`${sb.root}/${id}/state.json`));
      assert.equal(state.config.linux.resources.pids.limit, 77, "state.json keeps the update");
    }

    const bad = await sb.runo(["update", "--resources", "-", id], {
      stdin: '{"memory":{"limit":"x"}}',
    });
    assert.notEqual(bad.code, 0);
    const badLine = oneLineError(bad.stderr);
    // runc says "json: cannot unmarshal string into Go struct field ... of type int64".
    if (!isRunc()) assert.match(badLine, /<stdin>: \/memory\/limit/);
    assert.equal(await hostRead(`${p.memory}/memory.limit_in_bytes`), String(80 << 20));

    // stdin past the 16 MiB cap is refused once the cap is passed (runc reads
    // it all and finds no JSON value in it).
    const huge = await sb.runo(["update", "--resources", "-", id], {
      stdin: " ".repeat(17 << 20),
    });
    assert.notEqual(huge.code, 0);
    const hugeLine = oneLineError(huge.stderr);
    if (!isRunc()) assert.match(hugeLine, /--resources from stdin: more than 16777216 bytes/);
    assert.equal(await hostRead(`${p.pids}/pids.max`), "77");
  },
});

Deno.test({
  name:
    "update with devices revokes /dev/null from a running container (EPERM inside) and gives it back",
  // runc update skips resources.devices (runc#2994; support is runc#3401, open).
  ...requires("root", "busybox", "cli", runoOnly("device rules in update")),
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = await runDetached(sb, bundle);
    const list = `${(await containerCgroups(sb, id)).devices}/devices.list`;
    const probe = async () =>
      await sb.runo([
        "exec",
        id,
        "sh",
        "-c",
        "echo x > /dev/null && echo null-ok; head -c1 /dev/zero | wc -c",
      ]);
    const before = await probe();
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /^null-ok$/m);
    assert.match(await hostRead(list), /^c 1:3 rwm$/m);

    const deny = JSON.stringify({
      devices: [{ allow: false, type: "c", major: 1, minor: 3, access: "rw" }],
    });
    const u = await sb.runo(["update", "--resources", "-", id], { stdin: deny });
    assert.equal(u.code, 0, u.stderr);
    // Only the difference was written: mknod of /dev/null stays, /dev/zero untouched.
    const denied = await hostRead(list);
    assert.match(denied, /^c 1:3 m$/m);
    assert.match(denied, /^c 1:5 rwm$/m);
    const inside = await probe();
    assert.doesNotMatch(inside.stdout, /null-ok/);
    assert.match(inside.stdout + inside.stderr, /\/dev\/null: Operation not permitted/);
    assert.match(inside.stdout, /^1$/m, "/dev/zero must stay readable");
    let state = JSON.parse(await Deno.readTextFile(`${sb.root}/${id}/state.json`));
    assert.deepEqual(state.config.linux.resources.devices, [
      { allow: false, type: "c", major: 1, minor: 3, access: "rw" },
    ]);

    // An update without devices leaves the rules alone.
    const other = await sb.runo(["update", "--pids-limit", "40", id]);
    assert.equal(other.code, 0, other.stderr);
    assert.match(await hostRead(list), /^c 1:3 m$/m);
    state = JSON.parse(await Deno.readTextFile(`${sb.root}/${id}/state.json`));
    assert.equal(state.config.linux.resources.devices.length, 1);

    const allow = await sb.runo(["update", "--resources", "-", id], { stdin: '{"devices":[]}' });
    assert.equal(allow.code, 0, allow.stderr);
    assert.match(await hostRead(list), /^c 1:3 rwm$/m);
    const after = await probe();
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /^null-ok$/m);
  },
});

Deno.test({
  name: "ps lists the container's processes (table filtered from host ps, and --format json)",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sh", "-c", "sleep 100 & sleep 101; wait"] });
    const id = await runDetached(sb, bundle);
    const procs = (await hostRead(`${(await containerCgroups(sb, id)).pids}/cgroup.procs`)).split(
      "\n",
    );
    assert.ok(
      await waitFor(async () =>
        (await sb.runo(["ps", "-f", "json", id])).stdout.split(",").length === 3
      ),
    );
    const j = await sb.runo(["ps", "--format", "json", id]);
    assert.equal(j.code, 0, j.stderr);
    const pids: number[] = JSON.parse(j.stdout);
    assert.equal(pids.length, 3);
    for (const p of procs) assert.ok(pids.includes(Number(p)), `${p} missing from ${pids}`);
    const t = await sb.runo(["ps", id]);
    assert.equal(t.code, 0, t.stderr);
    const lines = t.stdout.trim().split("\n");
    assert.match(lines[0], /\bPID\b/);
    assert.equal(lines.length, 4, t.stdout);
    assert.ok(lines.some((l) => l.includes("sleep 101")), t.stdout);
    // ps options follow the id, as with runc.
    const o = await sb.runo(["ps", id, "-o", "pid,comm"]);
    assert.equal(o.code, 0, o.stderr);
    const [header, ...rows] = o.stdout.trim().split("\n").map((l) => l.trim().split(/\s+/));
    assert.deepEqual(header, ["PID", "COMMAND"]);
    assert.deepEqual(rows.map((r) => Number(r[0])).sort(), [...pids].sort());
    assert.deepEqual(rows.map((r) => r[1]).sort(), ["sh", "sleep", "sleep"]);
  },
});

Deno.test({
  name: "kill --all signals every process in the cgroup of a container without a pid namespace",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sh", "-c", "sleep 100 & sleep 100 & wait"],
      config: (c) => c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== "pid"),
    });
    const id = await runDetached(sb, bundle);
    const procs = `${(await containerCgroups(sb, id)).pids}/cgroup.procs`;
    assert.ok(await waitFor(async () => (await hostRead(procs)).split("\n").length === 3));
    const k = await sb.runo(["kill", "--all", id, "KILL"]);
    assert.equal(k.code, 0, k.stderr);
    assert.ok(await waitFor(async () => (await hostRead(procs)) === ""), "processes survived");
    const d = await sb.runo(["delete", id]);
    assert.equal(d.code, 0, d.stderr);
    assert.equal(await dirExists(procs.replace("/cgroup.procs", "")), false);
  },
});

Deno.test({
  name: "delete --force of a paused container thaws it so SIGKILL lands, and removes its cgroups",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: BUSY });
    const id = await runDetached(sb, bundle);
    const paths = await containerCgroups(sb, id);
    assert.equal((await sb.runo(["pause", id])).code, 0);
    const t0 = Date.now();
    const d = await sb.runo(["delete", "--force", id]);
    assert.equal(d.code, 0, d.stderr);
    assert.ok(Date.now() - t0 < 5000, "delete waited for a frozen process");
    for (const [c, dir] of Object.entries(paths)) {
      assert.equal(await dirExists(dir), false, `${c} cgroup ${dir} left`);
    }
  },
});

Deno.test({
  name: "ps and delete reach the child cgroups a container makes for itself",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: [
        "sh",
        "-c",
        "mkdir /sys/fs/cgroup/pids/inner && (echo $$ > /sys/fs/cgroup/pids/inner/cgroup.procs; " +
        "exec sleep 100) & sleep 100",
      ],
      config: (c) => {
        c.linux!.namespaces!.push({ type: "cgroup" });
        const m = c.mounts!.find((m) => m.destination === "/sys/fs/cgroup")!;
        m.options = m.options!.filter((o) => o !== "ro");
      },
    });
    const id = await runDetached(sb, bundle);
    const pidsDir = (await containerCgroups(sb, id)).pids;
    assert.ok(
      await waitFor(async () =>
        (await hostRead(`${pidsDir}/inner/cgroup.procs`).catch(() => "")) !== ""
      ),
      "no process in the inner cgroup",
    );
    const inner = Number(await hostRead(`${pidsDir}/inner/cgroup.procs`));
    const j = await sb.runo(["ps", "--format", "json", id]);
    assert.ok(JSON.parse(j.stdout).includes(inner), `${inner} not in ${j.stdout}`);
    const d = await sb.runo(["delete", "--force", id]);
    assert.equal(d.code, 0, d.stderr);
    assert.equal(await dirExists(pidsDir), false, "cgroup with a child cgroup left");
  },
});
