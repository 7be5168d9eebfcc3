// The user errors that need a container (the rest: tests/cli/user_errors_test.ts):
// --pid-file and --console-socket paths that cannot be used, `ps` without
// a ps on PATH, each one line in runo's words naming the path and the
// errno name, with nothing left behind; exit codes that tell a failed exec
// (255) from the process's own exit 1; and `ps` of a stopped container,
// which runc answers with its header (table) or `null` (json).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { running, SLEEPER } from "../fixtures/container.ts";
import {
  exists,
  host,
  isRunc,
  oneLineError,
  requires,
  runoBin,
  sandbox,
  uniqueId,
  waitStatus,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

Deno.test({
  name: "--pid-file in a missing directory fails create in one line, leaving nothing",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: SLEEPER });
    const pidFile = `${sb.root}/no/such/dir/pid`;
    for (const command of ["create", "run"]) {
      const id = sb.track(uniqueId());
      const flags = command === "run" ? ["-d"] : [];
      const r = await sb.runo([command, ...flags, "--pid-file", pidFile, "-b", b.dir, id], {
        reap: true,
      });
      assert.equal(r.code, 1, `${command}: ${r.stderr}`);
      const line = oneLineError(r.stderr);
      // runc names its temp file beside it: <dir>/.pid.
      assert.ok(line.includes(isRunc() ? pidFile.replace(/pid$/, ".pid") : pidFile), line);
      if (!isRunc()) {
        assert.equal(
          line,
          `runo: Cannot write --pid-file "${pidFile}": No such file or directory (ENOENT)`,
        );
      }
      assert.deepEqual(r.orphans, [], `${command} left processes behind`);
      assert.equal(await exists(`${sb.root}/${id}`), false, `${command} left its state`);
    }
  },
});

Deno.test({
  name: "exec --pid-file in a missing directory exits 255 in one line; the process's own 1 stays 1",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: SLEEPER });
    const id = await running(sb, b);
    const own = await sb.runo(["exec", id, "sh", "-c", "exit 1"]);
    assert.equal(own.code, 1, `the process's own status: ${own.stderr}`);
    const pidFile = `${sb.root}/no/dir/pid`;
    const r = await sb.runo(["exec", "-d", "--pid-file", pidFile, id, "sleep", "30"]);
    assert.equal(r.code, 255, r.stderr);
    const line = oneLineError(r.stderr);
    assert.ok(line.includes(isRunc() ? pidFile.replace(/pid$/, ".pid") : pidFile), line);
    if (!isRunc()) assert.match(line, /No such file or directory \(ENOENT\)$/);
  },
});

Deno.test({
  name: "--console-socket that does not exist fails create in one line, leaving nothing",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({
      args: ["true"],
      config: (c) => void (c.process!.terminal = true),
    });
    const id = sb.track(uniqueId());
    const socket = `${sb.root}/no-such.sock`;
    const r = await sb.runo(["create", "--console-socket", socket, "-b", b.dir, id], {
      reap: true,
    });
    assert.equal(r.code, 1);
    const line = oneLineError(r.stderr);
    assert.ok(line.includes(socket), line);
    if (!isRunc()) assert.match(line, /No such file or directory \(ENOENT\)$/);
    assert.deepEqual(r.orphans, []);
    assert.equal(await exists(`${sb.root}/${id}`), false);
  },
});

Deno.test({
  name: "ps without a ps on PATH fails in one line naming ps",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: SLEEPER });
    const id = await running(sb, b);
    // Positive control: with ps on PATH the table comes.
    assert.match((await sb.runo(["ps", id])).stdout, /PID/);
    // RUNO_BIN=runc is itself found through PATH, which this test empties: by its path.
    const bin = isRunc() ? (await host("sh", ["-c", "command -v runc"])).stdout.trim() : runoBin();
    const r = await host(bin, ["--root", sb.root, "ps", id], { env: { PATH: "/nonexistent" } });
    assert.equal(r.code, 1);
    const line = oneLineError(r.stderr);
    assert.match(line, /"?ps"?/);
    if (!isRunc()) {
      assert.equal(line, `runo: Cannot run "ps": No such file or directory (ENOENT)`);
    }
  },
});

Deno.test({
  name: "ps of a stopped container prints ps's header (table) or null (json), as runc",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["true"] });
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-d", "-b", b.dir, id]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
    const table = await sb.runo(["ps", id]);
    assert.equal(table.code, 0, table.stderr);
    assert.deepEqual(table.stdout.trim().split("\n").length, 1, table.stdout);
    assert.match(table.stdout, /^\s*UID\s+PID\s+PPID/);
    const json = await sb.runo(["ps", "--format", "json", id]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout, "null\n");
    const custom = await sb.runo(["ps", id, "-o", "pid"]);
    assert.equal(custom.stdout.trim(), "PID");
  },
});
