// kill's edge cases as runc 1.1.5 behaves here: signal 0 (kill(2)'s
// existence probe), an empty signal and --all of a stopped container.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { created, running, SLEEPER } from "../fixtures/container.ts";
import {
  oneLineError,
  processAlive,
  requires,
  sandbox,
  stateOf,
  waitStatus,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

Deno.test({
  name: "kill with signal 0 probes a running and a created container: exit 0, nothing delivered",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = await running(sb, bundle);
    const pid = (await stateOf(sb, id)).pid;
    const r = await sb.runo(["kill", id, "0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    // SLEEPER exits on SIGTERM: had anything been sent, it would be gone.
    assert.ok(await processAlive(pid), "kill 0 stopped the container");
    assert.equal((await stateOf(sb, id)).status, "running");

    await using bundle2 = await createBundle({ args: SLEEPER });
    const id2 = await created(sb, bundle2);
    const r2 = await sb.runo(["kill", id2, "0"]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal((await stateOf(sb, id2)).status, "created");
  },
});

Deno.test({
  name: "kill with signal 0 of a stopped container fails, as any signal does",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["true"] });
    const id = await created(sb, bundle);
    assert.equal((await sb.runo(["start", id])).code, 0);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
    const r = await sb.runo(["kill", id, "0"]);
    assert.notEqual(r.code, 0);
    oneLineError(r.stderr);
  },
});

Deno.test({
  name: "kill --all of a stopped container exits 0; without --all it fails",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["true"] });
    const id = await created(sb, bundle);
    assert.equal((await sb.runo(["start", id])).code, 0);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
    for (const sig of ["KILL", "TERM"]) {
      const all = await sb.runo(["kill", "--all", id, sig]);
      assert.equal(all.code, 0, `kill --all ${sig}: ${all.stderr}`);
    }
    const one = await sb.runo(["kill", id, "KILL"]);
    assert.notEqual(one.code, 0, "kill of a stopped container must fail");
    oneLineError(one.stderr);
    assert.equal((await stateOf(sb, id)).status, "stopped");
    assert.equal((await sb.runo(["delete", id])).code, 0);
  },
});

Deno.test({
  name: 'kill with an empty signal ("") sends SIGTERM, the default, as runc does',
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = await running(sb, bundle);
    const r = await sb.runo(["kill", id, ""]);
    assert.equal(r.code, 0, r.stderr);
    // SLEEPER exits on SIGTERM only.
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
  },
});
