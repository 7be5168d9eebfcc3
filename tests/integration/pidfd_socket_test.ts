// --pidfd-socket PATH on create, run and exec (runc 1.3): the receiver
// (tests/fixtures/pidfd_receiver.py, Python's recv_fds, not runo's code)
// gets one fd whose fdinfo names the right process, and killing through
// the pidfd stops it. runc 1.1.5 has no --pidfd-socket: under
// RUNO_BIN=runc these tests are ignored with that reason.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { created, running, SLEEPER } from "../fixtures/container.ts";
import {
  exists,
  isRunc,
  oneLineError,
  processAlive,
  REPO_ROOT,
  requires,
  sandbox,
  stateOf,
  uniqueId,
  waitFor,
  waitStatus,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli", {
  met: !isRunc(),
  reason: "need --pidfd-socket, which runc 1.1.5 lacks (runc 1.3 has it)",
});

interface Received {
  text: string;
  pid: number;
}

/**
 * Starts the receiver on a fresh socket path. `received` resolves with what
 * it got; `kill()` has it SIGKILL the process through the pidfd.
 */
async function receiver(dir: string) {
  const path = `${dir}/pidfd.sock`;
  const child = new Deno.Command("python3", {
    args: [`${REPO_ROOT}/tests/fixtures/pidfd_receiver.py`, path, "kill"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const err = child.stderr.getReader();
  const first = new TextDecoder().decode((await err.read()).value);
  assert.match(first, /listening/, `receiver did not start: ${first}`);
  err.releaseLock();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const received = lines.read().then(({ value }) => JSON.parse(value ?? "null") as Received);
  const stdin = child.stdin.getWriter();
  return {
    path,
    received,
    /** Sends SIGKILL through the pidfd and waits for the receiver to exit. */
    async kill() {
      await stdin.write(new TextEncoder().encode("\n"));
      await stdin.close();
      await lines.read();
      lines.releaseLock();
      assert.equal((await child.status).code, 0);
    },
    async [Symbol.asyncDispose]() {
      await stdin.close().catch(() => {});
      try {
        child.kill();
      } catch { /* exited */ }
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
    },
  };
}

Deno.test({
  name: "create --pidfd-socket sends a pidfd of the init; killing through it stops the container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    await using rx = await receiver(sb.root);
    const id = await created(sb, bundle, ["--pidfd-socket", rx.path]);
    const got = await rx.received;
    assert.equal(got.text, "standard");
    assert.equal(got.pid, (await stateOf(sb, id)).pid, "the pidfd is the init's");
    await rx.kill();
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped", "SIGKILL through the pidfd");
  },
});

Deno.test({
  name: "run -d --pidfd-socket sends a pidfd of the running init",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    await using rx = await receiver(sb.root);
    const id = await running(sb, bundle, ["--pidfd-socket", rx.path]);
    const got = await rx.received;
    assert.deepEqual(got, { text: "standard", pid: (await stateOf(sb, id)).pid });
  },
});

Deno.test({
  name: "exec --pidfd-socket sends a pidfd of the exec'd process, not the init's",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = await running(sb, bundle);
    await using rx = await receiver(sb.root);
    const pidFile = `${sb.root}/exec.pid`;
    const r = await sb.runo([
      "exec",
      "-d",
      "--pid-file",
      pidFile,
      "--pidfd-socket",
      rx.path,
      id,
      "sleep",
      "100",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const got = await rx.received;
    const execPid = Number((await Deno.readTextFile(pidFile)).trim());
    assert.equal(got.text, "setns");
    assert.equal(got.pid, execPid);
    assert.notEqual(got.pid, (await stateOf(sb, id)).pid);
    await rx.kill();
    assert.ok(await waitFor(async () => !(await processAlive(execPid))), "killed through it");
    assert.equal((await stateOf(sb, id)).status, "running", "the init lives on");
  },
});

Deno.test({
  name: "create --pidfd-socket to a missing socket fails in one line and leaves nothing",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: SLEEPER });
    const id = sb.track(uniqueId());
    const missing = `${sb.root}/no-such.sock`;
    const r = await sb.runo(["create", "--pidfd-socket", missing, "-b", bundle.dir, id]);
    assert.notEqual(r.code, 0);
    assert.match(oneLineError(r.stderr), /--pidfd-socket.*no-such\.sock.*ENOENT|No such file/);
    assert.equal(await exists(`${sb.root}/${id}`), false, "no state directory");
  },
});
