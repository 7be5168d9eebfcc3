// The lifecycle commands: create, start, state, kill, delete, list,
// run --detach and --pid-file, checked against runc's documented behaviour.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { created, running, SLEEPER } from "../fixtures/container.ts";
import {
  exists,
  oneLineError,
  processAlive,
  requires,
  sandbox,
  stateOf,
  uniqueId,
  waitFor,
  waitStatus,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

Deno.test({
  name: "create, start, kill, delete: state goes created → running → stopped",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = await created(sb, bundle);

    const s1 = await stateOf(sb, id);
    assert.equal(s1.status, "created");
    assert.equal(s1.id, id);
    assert.equal(s1.bundle, bundle.dir);
    assert.equal(typeof s1.ociVersion, "string");
    assert.ok(s1.pid > 0, `pid ${s1.pid}`);
    assert.ok(await processAlive(s1.pid), "init of a created container is not alive");
    assert.ok(!Number.isNaN(Date.parse(String(s1.created))), `created: ${s1.created}`);
    assert.equal(s1.rootfs, bundle.rootfs);
    assert.equal(s1.owner, "");

    const start = await sb.runo(["start", id]);
    assert.equal(start.code, 0, start.stderr);
    assert.equal(await waitStatus(sb, id, "running"), "running");
    assert.equal((await stateOf(sb, id)).pid, s1.pid, "start must exec in the same process");

    const kill = await sb.runo(["kill", id]);
    assert.equal(kill.code, 0, kill.stderr);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
    assert.ok(!(await processAlive(s1.pid)));

    const del = await sb.runo(["delete", id]);
    assert.equal(del.code, 0, del.stderr);
    assert.ok(!(await exists(`${sb.root}/${id}`)), "delete left the state dir");
    const gone = await sb.runo(["state", id]);
    assert.notEqual(gone.code, 0);
    oneLineError(gone.stderr);
  },
});

Deno.test({
  name: "start of a running container fails and leaves it running",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = await running(sb, bundle);
    const r = await sb.runo(["start", id]);
    assert.notEqual(r.code, 0);
    oneLineError(r.stderr);
    assert.equal((await stateOf(sb, id)).status, "running");
  },
});

Deno.test({
  name: "run --detach returns at once with the container running",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "30"] });
    const id = await running(sb, bundle);
    const st = await stateOf(sb, id);
    assert.ok(await processAlive(st.pid));
    const kill = await sb.runo(["kill", id, "KILL"]);
    assert.equal(kill.code, 0, kill.stderr);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
  },
});

Deno.test({
  name: "kill accepts signal names with and without SIG, and numbers",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: [
        "sh",
        "-c",
        'for s in USR1 USR2 HUP; do trap "echo $s >> /tmp/sigs" $s; done; ' +
        "trap 'exit 0' TERM; echo ready > /tmp/ready; while :; do sleep 0.05; done",
      ],
      config: (c) => c.root!.readonly = false,
    });
    const id = await running(sb, bundle);
    assert.ok(await waitFor(() => exists(`${bundle.rootfs}/tmp/ready`)), "traps never set");
    const sigs = `${bundle.rootfs}/tmp/sigs`;
    const lines = async () => (await Deno.readTextFile(sigs).catch(() => "")).trim().split("\n");
    for (const [sig, want] of [["USR1", "USR1"], ["SIGUSR2", "USR2"], ["1", "HUP"]]) {
      const r = await sb.runo(["kill", id, sig]);
      assert.equal(r.code, 0, `kill ${sig}: ${r.stderr}`);
      assert.ok(await waitFor(async () => (await lines()).includes(want)), `${sig} not delivered`);
    }
    const bad = await sb.runo(["kill", id, "NOTASIGNAL"]);
    assert.notEqual(bad.code, 0);
    oneLineError(bad.stderr);
    assert.equal((await stateOf(sb, id)).status, "running");
  },
});

Deno.test({
  name: "kill --all kills every process of the container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sh", "-c", "sleep 30 & sleep 30"] });
    const id = await running(sb, bundle);
    const r = await sb.runo(["kill", "--all", id, "KILL"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
  },
});

Deno.test({
  name: "kill of a stopped container fails",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["true"] });
    const id = await created(sb, bundle);
    assert.equal((await sb.runo(["start", id])).code, 0);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
    const r = await sb.runo(["kill", id, "KILL"]);
    assert.notEqual(r.code, 0);
    oneLineError(r.stderr);
  },
});

Deno.test({
  name: "a foreground run killed from outside exits 128+9",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "30"] });
    const id = sb.track(uniqueId());
    const run = sb.runo(["run", "-b", bundle.dir, id]);
    try {
      assert.equal(await waitStatus(sb, id, "running"), "running");
      const k = await sb.runo(["kill", id, "9"]);
      assert.equal(k.code, 0, k.stderr);
    } finally {
      const r = await run;
      assert.equal(r.code, 137, r.stderr);
    }
    assert.ok(!(await exists(`${sb.root}/${id}`)));
  },
});

Deno.test({
  name: "delete refuses a running container; delete --force kills and removes it",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "30"] });
    const id = await running(sb, bundle);
    const { pid } = await stateOf(sb, id);

    const plain = await sb.runo(["delete", id]);
    assert.notEqual(plain.code, 0);
    oneLineError(plain.stderr);
    assert.equal((await stateOf(sb, id)).status, "running");

    const force = await sb.runo(["delete", "--force", id]);
    assert.equal(force.code, 0, force.stderr);
    assert.ok(await waitFor(async () => !(await processAlive(pid))), "init survived delete -f");
    assert.ok(!(await exists(`${sb.root}/${id}`)));
  },
});

Deno.test({
  name: "delete -f of a created container kills its init",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "30"] });
    const id = await created(sb, bundle);
    const { pid } = await stateOf(sb, id);
    const r = await sb.runo(["delete", "-f", id]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(await waitFor(async () => !(await processAlive(pid))));
    assert.ok(!(await exists(`${sb.root}/${id}`)));
  },
});

Deno.test({
  name: "--pid-file holds the init's pid (create and run -d)",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "30"] });
    const a = await created(sb, bundle, ["--pid-file", `${sb.root}/a.pid`]);
    const b = await running(sb, bundle, ["--pid-file", `${sb.root}/b.pid`]);
    for (const [id, file] of [[a, "a.pid"], [b, "b.pid"]]) {
      const text = await Deno.readTextFile(`${sb.root}/${file}`);
      assert.match(text, /^\d+\n?$/);
      assert.equal(Number(text.trim()), (await stateOf(sb, id)).pid);
    }
  },
});

Deno.test({
  name: "list prints a table, ids with -q, and JSON with --format json",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "30"] });
    const a = await created(sb, bundle);
    const b = await running(sb, bundle);
    const pids = { [a]: (await stateOf(sb, a)).pid, [b]: (await stateOf(sb, b)).pid };

    const table = await sb.runo(["list"]);
    assert.equal(table.code, 0, table.stderr);
    const [header, ...rows] = table.stdout.trimEnd().split("\n");
    assert.deepEqual(header.trim().split(/\s+/), [
      "ID",
      "PID",
      "STATUS",
      "BUNDLE",
      "CREATED",
      "OWNER",
    ]);
    const byId = new Map(rows.map((l) => l.trim().split(/\s+/)).map((f) => [f[0], f]));
    assert.deepEqual([...byId.keys()].sort(), [a, b].sort());
    assert.equal(byId.get(a)![1], String(pids[a]));
    assert.equal(byId.get(a)![2], "created");
    assert.equal(byId.get(b)![2], "running");
    assert.equal(byId.get(b)![3], bundle.dir);

    const quiet = await sb.runo(["list", "-q"]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.deepEqual(quiet.stdout.trim().split("\n").sort(), [a, b].sort());

    const json = await sb.runo(["list", "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const list = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.deepEqual(list.map((c) => c.id).sort(), [a, b].sort());
    for (const c of list) {
      assert.equal(c.pid, pids[c.id as string]);
      assert.equal(c.status, c.id === a ? "created" : "running");
      assert.equal(c.bundle, bundle.dir);
      assert.ok(!Number.isNaN(Date.parse(String(c.created))));
    }
  },
});

Deno.test({
  name: "state reports stopped after the process exits on its own",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sh", "-c", "exit 0"] });
    const id = await created(sb, bundle);
    assert.equal((await sb.runo(["start", id])).code, 0);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
    const del = await sb.runo(["delete", id]);
    assert.equal(del.code, 0, del.stderr);
    assert.ok(!(await exists(`${sb.root}/${id}`)));
  },
});
