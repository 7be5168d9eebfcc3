// Black-box checks of the command line that need no container and no root:
// usage errors, unknown ids, an empty state root, --log/--log-format.
//
// Permissions: read, write, run, env.

import assert from "node:assert/strict";
import { oneLineError, requires, runo, sandbox } from "../fixtures/runo.ts";

const needs = requires("cli");

Deno.test({
  name: "list of an empty root prints only the header, nothing with -q",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const table = await sb.runo(["list"]);
    assert.equal(table.code, 0, table.stderr);
    assert.deepEqual(table.stdout.trim().split(/\s+/), [
      "ID",
      "PID",
      "STATUS",
      "BUNDLE",
      "CREATED",
      "OWNER",
    ]);
    const quiet = await sb.runo(["list", "-q"]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout.trim(), "");
    const json = await sb.runo(["list", "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    // runc prints `null` for no containers; an empty array is as good.
    const v = JSON.parse(json.stdout);
    assert.ok(v === null || (Array.isArray(v) && v.length === 0), json.stdout);
  },
});

Deno.test({
  name: "list of a root that does not exist yet is empty",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const r = await runo(["list", "-q"], { root: `${sb.root}/not-yet` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "");
  },
});

Deno.test({
  name: "state, start, kill and delete of an unknown id fail with one line",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    for (const cmd of ["state", "start", "kill", "delete"]) {
      const r = await sb.runo([cmd, "ghost"]);
      assert.notEqual(r.code, 0, `${cmd} ghost succeeded`);
      assert.match(oneLineError(r.stderr), /exist|not found|no such/i, cmd);
    }
  },
});

Deno.test({
  name: "delete --force of an unknown id succeeds (as runc)",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const r = await sb.runo(["delete", "--force", "ghost"]);
    assert.equal(r.code, 0, r.stderr);
  },
});

Deno.test({
  name: "a missing container id or an unknown command fails",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    for (const args of [["state"], ["start"], ["delete"], ["create"], ["no-such-command"]]) {
      const r = await sb.runo(args);
      assert.notEqual(r.code, 0, `${args.join(" ")} succeeded`);
      assert.notEqual(r.stderr.trim(), "", `${args.join(" ")}: nothing on stderr`);
    }
  },
});

Deno.test({
  name: "--log with --log-format json writes errors as JSON lines",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const log = `${sb.root}/log.json`;
    const r = await sb.runo(["--log", log, "--log-format", "json", "state", "ghost"]);
    assert.notEqual(r.code, 0);
    const lines = (await Deno.readTextFile(log)).trim().split("\n");
    const entries = lines.map((l) => JSON.parse(l));
    const err = entries.find((e) => e.level === "error");
    assert.ok(err, `no error entry in ${lines}`);
    assert.equal(typeof err.msg, "string");
    assert.equal(typeof err.time, "string");
  },
});

Deno.test({
  name: "--log with the text format writes level=error lines",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const log = `${sb.root}/log.txt`;
    const r = await sb.runo(["--log", log, "state", "ghost"]);
    assert.notEqual(r.code, 0);
    assert.match(await Deno.readTextFile(log), /level=error/);
  },
});
