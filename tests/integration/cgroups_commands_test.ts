// The cgroup commands on real containers: pause/resume, update, ps,
// events (--stats against the cgroup files, and OOM in the stream),
// kill --all; and the cgroup v2 device filter loaded into the kernel.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import {
  host,
  oneLineError,
  REPO_ROOT,
  requires,
  runoBin,
  sandbox,
  uniqueId,
  waitFor,
  waitStatus,
} from "../fixtures/runo.ts";
import { cgroupPaths, dirExists, hostRead, UNIFIED, unifiedNeed } from "../fixtures/cgroups.ts";
import { runDetached, SLEEPER } from "../fixtures/container.ts";

const needs = requires("root", "busybox", "cli");
/** The v2 tests work in the cgroup2 tree of a hybrid host. */
const needsUnified = requires("root", "busybox", "cli", unifiedNeed());

const BUSY = ["sh", "-c", "while :; do :; done"];

Deno.test({
  name: "pause freezes a busy loop (state paused, CPU time stops), resume lets it run again",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: BUSY });
    const id = await runDetached(sb, bundle);
    const usage = `${(await cgroupPaths(sb, id)).cpuacct}/cpuacct.usage`;
    const cpu = async () => Number(await hostRead(usage));

    const p = await sb.runo(["pause", id]);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(await waitStatus(sb, id, "paused"), "paused");
    assert.equal(await hostRead(`${(await cgroupPaths(sb, id)).freezer}/freezer.state`), "FROZEN");
    const t0 = await cpu();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await cpu(), t0, "CPU time advanced while paused");
    const again = await sb.runo(["pause", id]);
    assert.notEqual(again.code, 0);
    assert.match(oneLineError(again.stderr), /is not running: paused/);

    const r = await sb.runo(["resume", id]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await waitStatus(sb, id, "running"), "running");
    const t1 = await cpu();
    assert.ok(await waitFor(async () => (await cpu()) > t1 + 10_000_000), "no CPU after resume");
    const bad = await sb.runo(["resume", id]);
    assert.match(oneLineError(bad.stderr), /is not paused: running/);
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
    const p = await cgroupPaths(sb, id);
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
    // Seen from inside too: the container's cgroup mount shows its own cgroup.
    const state = JSON.parse(await Deno.readTextFile(`${sb.root}/${id}/state.json`));
    assert.equal(state.config.linux.resources.pids.limit, 77, "state.json keeps the update");

    const bad = await sb.runo(["update", "--resources", "-", id], {
      stdin: '{"memory":{"limit":"x"}}',
    });
    assert.notEqual(bad.code, 0);
    assert.match(oneLineError(bad.stderr), /<stdin>: \/memory\/limit/);
  },
});

Deno.test({
  name:
    "update with devices revokes /dev/null from a running container (EPERM inside) and gives it back",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = await runDetached(sb, bundle);
    const list = `${(await cgroupPaths(sb, id)).devices}/devices.list`;
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
    const procs = (await hostRead(`${(await cgroupPaths(sb, id)).pids}/cgroup.procs`)).split("\n");
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
  name: "events --stats matches the cgroup files of a running container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      // A process that neither forks nor allocates: the files hold still.
      args: ["sleep", "1000"],
      config: (c) =>
        c.linux!.resources = {
          ...c.linux!.resources,
          memory: { limit: 96 << 20 },
          pids: { limit: 50 },
        },
    });
    const id = await runDetached(sb, bundle);
    const p = await cgroupPaths(sb, id);
    const r = await sb.runo(["events", "--stats", id]);
    assert.equal(r.code, 0, r.stderr);
    const ev = JSON.parse(r.stdout);
    assert.equal(ev.type, "stats");
    assert.equal(ev.id, id);
    const d = ev.data;
    assert.equal(d.memory.usage.limit, 96 << 20);
    assert.equal(d.pids.limit, 50);
    assert.equal(d.pids.current, Number(await hostRead(`${p.pids}/pids.current`)));
    // memory.stat's raw values: the limit line holds still (rss moves by pages).
    const stat = await hostRead(`${p.memory}/memory.stat`);
    const limitLine = /^hierarchical_memory_limit (\d+)$/m.exec(stat)![1];
    assert.equal(d.memory.raw.hierarchical_memory_limit, Number(limitLine));
    assert.equal(d.memory.raw.hierarchical_memory_limit, 96 << 20);
    assert.ok(d.memory.raw.rss > 0, "rss of a live sleep");
    const total = Number(await hostRead(`${p.cpuacct}/cpuacct.usage`));
    assert.ok(
      d.cpu.usage.total > 0 && d.cpu.usage.total <= total,
      `${d.cpu.usage.total} vs ${total}`,
    );
    assert.equal(d.cpu.usage.percpu.length, navigator.hardwareConcurrency);
    assert.equal(d.memory.usage.failcnt, 0);
  },
});

Deno.test({
  name: "events reports the OOM kill of a memory-limited container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      // dd's 64 MiB buffer filled from /dev/zero cannot fit in 16 MiB; it is
      // OOM-killed, and the init stays to be watched.
      args: ["sh", "-c", "sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 100"],
      config: (c) =>
        c.linux!.resources = {
          ...c.linux!.resources,
          memory: { limit: 16 << 20, swap: 16 << 20 },
        },
    });
    const id = await runDetached(sb, bundle);
    const r = await sb.runo(["events", "--interval", "1s", id], { timeoutMs: 4000 });
    const events = r.stdout.trim().split("\n").filter((l) => l).map((l) => JSON.parse(l));
    assert.ok(events.some((e) => e.type === "stats"), r.stdout);
    assert.ok(events.some((e) => e.type === "oom" && e.id === id), `no oom event: ${r.stdout}`);
    const oom = await hostRead(`${(await cgroupPaths(sb, id)).memory}/memory.oom_control`);
    assert.match(oom, /^oom_kill [1-9]/m);
  },
});

Deno.test({
  name:
    "events --interval 60s reports an OOM kill at once (v1 eventfd), idle in between, and ends when the container stops",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: SLEEPER,
      config: (c) =>
        c.linux!.resources = {
          ...c.linux!.resources,
          memory: { limit: 16 << 20, swap: 16 << 20 },
        },
    });
    const id = await runDetached(sb, bundle);
    const events = new Deno.Command(runoBin(), {
      args: ["--root", sb.root, "events", "--interval", "60s", id],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const seen: { at: number; e: { type: string; id: string } }[] = [];
    const reading = (async () => {
      let buf = "";
      for await (const chunk of events.stdout.pipeThrough(new TextDecoderStream())) {
        buf += chunk;
        for (let i; (i = buf.indexOf("\n")) >= 0; buf = buf.slice(i + 1)) {
          seen.push({ at: performance.now(), e: JSON.parse(buf.slice(0, i)) });
        }
      }
    })();
    try {
      assert.ok(await waitFor(() => Promise.resolve(seen.length > 0)), "no first stats event");
      assert.equal(seen[0].e.type, "stats");
      // Idle between stats: no wake-ups of the main thread (a 100 ms poll would make ~15).
      const switches = async () =>
        Number(
          /voluntary_ctxt_switches:\s+(\d+)/.exec(
            await hostRead(`/proc/${events.pid}/task/${events.pid}/status`),
          )![1],
        );
      const s0 = await switches();
      await new Promise((r) => setTimeout(r, 1500));
      const idle = (await switches()) - s0;
      assert.ok(idle < 10, `events woke ${idle} times in 1.5 s while idle`);

      // dd's 64 MiB buffer cannot fit in 16 MiB: the OOM killer ends it.
      const x = await sb.runo([
        "exec",
        id,
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=64M",
        "count=1",
      ]);
      const killedBy = performance.now();
      assert.equal(x.code, 137, `dd was not OOM-killed: ${x.stderr}`);
      assert.ok(
        await waitFor(() => Promise.resolve(seen.some((s) => s.e.type === "oom")), 3000),
        `no oom event: ${JSON.stringify(seen.map((s) => s.e.type))}`,
      );
      const oom = seen.find((s) => s.e.type === "oom")!;
      assert.equal(oom.e.id, id);
      assert.ok(oom.at - killedBy < 500, `oom event ${oom.at - killedBy} ms after the kill`);
      assert.equal(seen.filter((s) => s.e.type === "stats").length, 1, "only the first stats");

      // The stream ends when the container stops.
      assert.equal((await sb.runo(["kill", id, "KILL"])).code, 0);
      const end = await Promise.race([
        events.status,
        new Promise<null>((r) => setTimeout(() => r(null), 5000)),
      ]);
      assert.ok(end !== null, "events still running after the container stopped");
      assert.equal(end.code, 0);
    } finally {
      try {
        events.kill("SIGKILL");
      } catch {
        // exited already
      }
      await events.status;
      await reading;
    }
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
    const procs = `${(await cgroupPaths(sb, id)).pids}/cgroup.procs`;
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
  name:
    "cgroup v2 device filter: loaded with bpf(2) into the unified tree, it refuses blocked devices",
  ...needsUnified,
  async fn() {
    const dir = `${UNIFIED}/runo-bpf-${uniqueId()}`;
    assert.equal((await host("mkdir", [dir])).code, 0);
    try {
      const rules = [
        { allow: false, type: "a", major: -1, minor: -1, access: "rwm" },
        { allow: true, type: "c", major: 1, minor: 3, access: "rwm" }, // null
        { allow: true, type: "c", major: 1, minor: 5, access: "r" }, // zero, read only
      ];
      const deno = Deno.execPath();
      const helper = `${REPO_ROOT}/tests/integration/helpers/attach_device_filter.ts`;
      const load = await host(deno, [
        "run",
        "--no-prompt",
        "--allow-ffi",
        "--allow-read",
        "--allow-env",
        helper,
        dir,
        JSON.stringify(rules),
      ]);
      assert.equal(load.code, 0, load.stderr);
      const r = await host("sh", [
        "-c",
        `echo $$ > ${dir}/cgroup.procs; ` +
        "echo x > /dev/null && echo null=ok; " +
        "head -c1 /dev/zero >/dev/null && echo zero-read=ok; " +
        "(echo x > /dev/zero) 2>&1; head -c1 /dev/urandom 2>&1 >/dev/null; true",
      ]);
      assert.match(r.stdout, /^null=ok$/m);
      assert.match(r.stdout, /^zero-read=ok$/m);
      assert.match(r.stdout, /\/dev\/zero: Operation not permitted/);
      assert.match(r.stdout, /\/dev\/urandom.*Operation not permitted/);
    } finally {
      await host("rmdir", [dir]);
    }
  },
});

Deno.test({
  name:
    "cgroup v2 device filter update: the new program replaces the old one in the unified tree (deny, then allow /dev/null)",
  ...needsUnified,
  async fn() {
    const dir = `${UNIFIED}/runo-bpfup-${uniqueId()}`;
    assert.equal((await host("mkdir", [dir])).code, 0);
    try {
      const helper = `${REPO_ROOT}/tests/integration/helpers/attach_device_filter.ts`;
      const perms = ["--allow-ffi", "--allow-read", "--allow-env"];
      const attach = async (rules: unknown[], ...flags: string[]) => {
        const r = await host(Deno.execPath(), [
          "run",
          "--no-prompt",
          ...perms,
          helper,
          ...flags,
          dir,
          JSON.stringify(rules),
        ]);
        assert.equal(r.code, 0, r.stderr);
        return r.stdout.trim();
      };
      const probe = async () =>
        (await host("sh", [
          "-c",
          `echo $$ > ${dir}/cgroup.procs; (echo x > /dev/null) 2>&1 && echo null=ok; ` +
          "head -c1 /dev/zero | wc -c",
        ])).stdout;
      const base = [
        { allow: false, type: "a", major: -1, minor: -1, access: "rwm" },
        { allow: true, type: "c", major: 1, minor: 3, access: "rwm" },
        { allow: true, type: "c", major: 1, minor: 5, access: "rwm" },
      ];
      assert.equal(await attach(base), "attached 1");
      assert.match(await probe(), /^null=ok$/m);
      const deny = [...base, { allow: false, type: "c", major: 1, minor: 3, access: "rw" }];
      assert.equal(await attach(deny), "attached 1", "the old program stays attached");
      const denied = await probe();
      assert.match(denied, /\/dev\/null: Operation not permitted/);
      assert.match(denied, /^1$/m, "/dev/zero must stay readable");
      assert.equal(await attach(base), "attached 1");
      assert.match(await probe(), /^null=ok$/m);
      // Several programs there (another attacher's): the new one goes in, then all old ones out.
      assert.equal(await attach(base, "--add"), "attached 2");
      assert.equal(await attach(deny), "attached 1");
      assert.match(await probe(), /\/dev\/null: Operation not permitted/);
    } finally {
      await host("rmdir", [dir]);
    }
  },
});

Deno.test({
  name:
    "v2 OOM watch: inotify on a cgroup2 file of the unified tree wakes the poll when its counter rises",
  ...needsUnified,
  async fn() {
    const dir = `${UNIFIED}/runo-oomw-${uniqueId()}`;
    assert.equal((await host("mkdir", [dir])).code, 0);
    try {
      const helper = `${REPO_ROOT}/tests/integration/helpers/oom_watch_probe.ts`;
      const perms = ["--allow-ffi", "--allow-read", "--allow-env", "--allow-run"];
      const r = await host(Deno.execPath(), ["run", "--no-prompt", ...perms, helper, dir]);
      assert.equal(r.code, 0, r.stderr);
      const seen = JSON.parse(r.stdout);
      assert.equal(seen.mask, 1, "the poll timed out instead of waking");
      assert.equal(seen.rise, 1);
      // Woken by the join (after 0.3 s), long before the 5 s timeout.
      assert.ok(seen.ms >= 250 && seen.ms < 2000, `woke after ${seen.ms} ms`);
    } finally {
      await host("rmdir", [dir]);
    }
  },
});

Deno.test({
  name: "delete --force of a paused container thaws it so SIGKILL lands, and removes its cgroups",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: BUSY });
    const id = await runDetached(sb, bundle);
    const paths = await cgroupPaths(sb, id);
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
    const pidsDir = (await cgroupPaths(sb, id)).pids;
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

Deno.test({
  name:
    "cgroup v2 manager on the real unified tree: join, device filter, freeze via cgroup.freeze, pids, rmdir",
  ...needsUnified,
  async fn() {
    const root = UNIFIED;
    const dir = `${root}/runo-v2-${uniqueId()}`;
    // apply() delegates the root's controllers to its children, as runc: undone after.
    const before = await hostRead(`${root}/cgroup.subtree_control`);
    const helper = `${REPO_ROOT}/tests/integration/helpers/v2_manager_probe.ts`;
    const perms = ["--allow-ffi", "--allow-read", "--allow-env", "--allow-run"];
    try {
      const r = await host(Deno.execPath(), ["run", "--no-prompt", ...perms, helper, dir]);
      assert.equal(r.code, 0, r.stderr);
      const seen = JSON.parse(r.stdout);
      assert.equal(seen.error, undefined, seen.error);
      assert.equal(seen.procs, String(seen.childPid));
      assert.deepEqual(seen.warnings, []);
      assert.equal(seen.frozen, true);
      assert.match(seen.eventsWhileFrozen, /^frozen 1$/m);
      assert.equal(seen.thawed, true);
      assert.deepEqual(seen.pids, [seen.childPid]);
      assert.equal(seen.statsCpuUsage, "number");
      assert.match(seen.childOut, /^zero-ok$/m);
      assert.match(seen.childOut, /\/dev\/full: Operation not permitted/);
      assert.equal(await dirExists(dir), false, "destroy left the cgroup");
    } finally {
      await host("rmdir", [dir]);
      const after = await hostRead(`${root}/cgroup.subtree_control`);
      const added = after.split(/\s+/).filter((c) => c && !before.split(/\s+/).includes(c));
      if (added.length) {
        await host("sh", [
          "-c",
          `echo ${added.map((c) => `-${c}`).join(" ")} > ${root}/cgroup.subtree_control`,
        ]);
      }
    }
  },
});
