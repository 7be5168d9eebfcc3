// runo events on real containers: --stats against the cgroup files, and
// the OOM kills of a memory-limited container in the stream (at once, by
// v1 eventfd, however long the --interval).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { isRunc, requires, runoBin, sandbox, waitFor } from "../fixtures/runo.ts";
import { containerCgroups, hostRead } from "../fixtures/cgroups.ts";
import { runDetached, SLEEPER } from "../fixtures/container.ts";

const needs = requires("root", "busybox", "cli");

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
    const p = await containerCgroups(sb, id);
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
    const oom = await hostRead(`${(await containerCgroups(sb, id)).memory}/memory.oom_control`);
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
      // runo differs on purpose: its first stats come at once, so a reader has numbers
      // without waiting an interval; runc 1.1.5 sends stats only on each tick (events.go).
      const firstStats = isRunc() ? 0 : 1;
      if (isRunc()) {
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(seen.length, 0, "runc 1.1.5 sent an event before its first tick");
      } else {
        assert.ok(await waitFor(() => Promise.resolve(seen.length > 0)), "no first stats event");
        assert.equal(seen[0].e.type, "stats");
      }
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
      assert.equal(seen.filter((s) => s.e.type === "stats").length, firstStats, "only the first");

      // The stream ends when the container stops. runo differs on purpose: runc 1.1.5's
      // goes on until the container is deleted (its state can no longer be read).
      assert.equal((await sb.runo(["kill", id, "KILL"])).code, 0);
      if (isRunc()) {
        assert.ok(await waitFor(async () => (await sb.runo(["delete", id])).code === 0, 5000));
      }
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
