// stdio without a terminal: a detached container and a detached exec keep
// the caller's fds 0–2 (engines hand pipes and files), --preserve-fds N
// passes 3 .. 3+N-1 and nothing beyond, and socket activation
// (LISTEN_FDS/LISTEN_PID meant for runo) reaches the container as runc
// passes it. Checked from inside: what the process reads and writes, and
// its /proc/self/fd.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { runDetached } from "../fixtures/container.ts";
import { requires, runoBin, sandbox, uniqueId, waitFor, waitStatus } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/** Runs a shell line (runo's fds set up by it); returns its stdout. */
async function sh(line: string): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command("/bin/sh", {
    args: ["-c", line],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

/** The container's open fds, as `ls /proc/self/fd` inside prints them (the ls's own dir fd aside). */
const FDS = "echo $(ls /proc/self/fd)";

Deno.test({
  name: "run -d passes the caller's stdin, stdout and stderr (files) to the container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sh", "-c", "read x; echo out:$x; echo err:$x >&2"],
    });
    const id = sb.track(uniqueId());
    const d = sb.root;
    await Deno.writeTextFile(`${d}/in`, "hello\n");
    const r = await sh(
      `${runoBin()} --root ${d} run -d -b ${bundle.dir} ${id} <${d}/in >${d}/out 2>${d}/err`,
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
    assert.equal(await Deno.readTextFile(`${d}/out`), "out:hello\n");
    assert.equal(await Deno.readTextFile(`${d}/err`), "err:hello\n");
  },
});

Deno.test({
  name: "run --preserve-fds 1 passes a pipe as fd 3 and nothing beyond it",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sh", "-c", `echo via-fd3 >&3; ${FDS}`],
    });
    const id = sb.track(uniqueId());
    // fd 3 of runo is the write end of a pipe into `cat`
    const r = await sh(
      `{ ${runoBin()} --root ${sb.root} run --preserve-fds 1 -b ${bundle.dir} ${id} ` +
        `3>&1 1>${sb.root}/out; } | cat`,
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, "via-fd3\n");
    // 0-2, the preserved 3, and ls's directory fd (4)
    assert.equal((await Deno.readTextFile(`${sb.root}/out`)).trim(), "0 1 2 3 4");
    const none = await sh(
      `${runoBin()} --root ${sb.root} run -b ${bundle.dir} ${uniqueId()} 3>/dev/null 2>&1`,
    );
    // without --preserve-fds fd 3 stays closed: ls's own fd takes its place
    assert.match(none.out, /\n0 1 2 3\s*$/, none.out);
  },
});

Deno.test({
  name: "exec keeps the caller's stdio when detached and passes --preserve-fds",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "1000"] });
    const id = await runDetached(sb, bundle);
    const d = sb.root;
    const r = await sh(
      `echo ping | ${runoBin()} --root ${d} exec -d ${id} sh -c 'read x; echo $x-out; echo $x-err >&2' ` +
        `>${d}/out 2>${d}/err`,
    );
    assert.equal(r.code, 0, r.err);
    const errText = () => Deno.readTextFile(`${d}/err`);
    assert.ok(
      await waitFor(async () => (await errText()) === "ping-err\n", 10_000),
      `detached exec's stderr: ${JSON.stringify(await errText())}`,
    );
    assert.equal(await Deno.readTextFile(`${d}/out`), "ping-out\n");
    const p = await sh(
      `{ ${runoBin()} --root ${d} exec --preserve-fds 2 ${id} sh -c 'echo a >&3; echo b >&4; ${FDS}' ` +
        `3>&1 4>&1 1>${d}/fds; } | cat`,
    );
    assert.equal(p.code, 0, p.err);
    assert.equal(p.out, "a\nb\n");
    assert.equal((await Deno.readTextFile(`${d}/fds`)).trim(), "0 1 2 3 4 5");
  },
});

Deno.test({
  name: "socket activation: LISTEN_FDS meant for runo reaches the container with LISTEN_PID=1",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sh", "-c", 'echo "$LISTEN_FDS $LISTEN_PID" >&3; echo fd3 >&3'],
    });
    // build/runo execs deno, so the inner shell's $$ becomes runo's pid.
    const run = (pid: string) =>
      sh(
        `{ sh -c 'export LISTEN_FDS=1 LISTEN_PID=${pid}; exec ${runoBin()} --root ${sb.root} ` +
          `run -b ${bundle.dir} ${uniqueId()}' 3>&1 1>/dev/null 2>&1; } | cat`,
      );
    const mine = await run("$$");
    assert.equal(mine.out, "1 1\nfd3\n", mine.err);
    // LISTEN_PID of another process: neither the fds nor the variables pass
    const other = await run("1");
    assert.doesNotMatch(other.out, /fd3/);
  },
});
