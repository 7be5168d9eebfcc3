// SCMP_ACT_NOTIFY on real containers: the listener fd and the container's
// state reach the agent at linux.seccomp.listenerPath (the test agent,
// tests/fixtures/seccomp_agent.ts, answers -EXDEV), on the early and the
// late load path, for exec'd processes too; an agent that is not there
// fails create, nothing left behind.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { runContainer, withSeccomp } from "../fixtures/container.ts";
import {
  exists,
  isRunc,
  oneLineError,
  requires,
  sandbox,
  uniqueId,
  waitFor,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

const AGENT = new URL("../fixtures/seccomp_agent.ts", import.meta.url).pathname;

/** Runs a container whose mkdir notifies an agent that answers -EXDEV. */
async function notifyRun(nnp: boolean, flags: string[]): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "runo-agent-" });
  const sock = `${dir}/agent.sock`, stateFile = `${dir}/state.json`;
  const agent = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-ffi", "--allow-write", AGENT, sock, stateFile, "18"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let agentOut = "";
  try {
    assert.ok(await waitFor(() => exists(sock), 10_000), "the agent did not start");
    const script = "mkdir /tmp/x 2>&1; echo rc=$?; touch /dev/shm/ok && echo touched";
    const r = await runContainer(["sh", "-c", script], {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        flags,
        listenerPath: sock,
        listenerMetadata: "runo-test",
        syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY" }],
      }, (c) => void (c.process!.noNewPrivileges = nnp)),
    });
    assert.equal(r.code, 0, r.stderr);
    // The agent answered -EXDEV, which no rule of the filter returns.
    assert.match(r.stdout, /Invalid cross-device link/);
    assert.match(r.stdout, /^rc=1$/m);
    assert.match(r.stdout, /^touched$/m);
    const state = JSON.parse(await Deno.readTextFile(stateFile));
    assert.deepEqual(state.fds, ["seccompFd"]);
    assert.equal(state.metadata, "runo-test");
    assert.equal(state.state.id, r.id);
    assert.equal(state.state.status, "creating");
    assert.ok(state.pid > 0 && state.state.pid === state.pid);
  } finally {
    try {
      agent.kill("SIGKILL");
    } catch {
      // It ends by itself once the filter has no task left (ENOENT).
    }
    const out = await agent.output();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    agentOut = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  }
  // After the finally block, so that a failure above is not hidden by this one.
  // mkdir is 83 and mkdirat 258 on x86_64.
  assert.match(agentOut, /^nr=(83|258)$/m, `agent: ${agentOut}`);
}

Deno.test({
  name: "seccomp: SCMP_ACT_NOTIFY hands the listener and the state to the agent, which answers",
  ...needs,
  fn: () => notifyRun(true, []),
});

Deno.test({
  name: "seccomp: notify on the early path (no no_new_privs) with WAIT_KILLABLE_RECV and TSYNC",
  ...needs,
  async fn() {
    const flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_TSYNC"];
    if (!isRunc()) return await notifyRun(false, flags);
    // runo differs on purpose: runc 1.1.5 refuses any seccomp flag ("seccomp flags
    // are not yet supported by runc"); runc >= 1.2 takes them (spec 1.1). Its
    // early path is checked without them.
    const r = await runContainer(["true"], {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        flags,
        listenerPath: "/nonexistent/runo-agent.sock",
        syscalls: [{ names: ["mkdir"], action: "SCMP_ACT_NOTIFY" }],
      }, (c) => void (c.process!.noNewPrivileges = false)),
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /seccomp flags are not yet supported/);
    assert.ok(r.stateRemoved);
    await notifyRun(false, []);
  },
});

Deno.test({
  name: "seccomp: an agent that is not listening fails create with the path, nothing left behind",
  ...needs,
  async fn() {
    const r = await runContainer(["true"], {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        listenerPath: "/nonexistent/runo-agent.sock",
        syscalls: [{ names: ["mkdir"], action: "SCMP_ACT_NOTIFY" }],
      }),
    });
    assert.notEqual(r.code, 0);
    assert.match(oneLineError(r.stderr), /connect.*\/nonexistent\/runo-agent\.sock/);
    assert.ok(r.stateRemoved);
  },
});

/** The test agent on `sock`, writing what it receives to `stateFile`. */
function startAgent(sock: string, stateFile: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-ffi", "--allow-write", AGENT, sock, stateFile, "18"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  return {
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.status;
      await Deno.remove(sock).catch(() => {});
    },
  };
}

Deno.test({
  // runc's setnsProcess hands the exec'd process's listener to the agent too.
  name: "seccomp: exec into a notify container hands the exec'd process's listener to the agent",
  ...needs,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "runo-agent-" });
    try {
      const sock = `${dir}/agent.sock`;
      await using sb = await sandbox();
      await using bundle = await createBundle({
        args: ["sleep", "300"],
        config: withSeccomp({
          defaultAction: "SCMP_ACT_ALLOW",
          listenerPath: sock,
          syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY" }],
        }),
      });
      const id = sb.track(uniqueId());
      {
        // The first agent takes the init's listener.
        await using _agent = startAgent(sock, `${dir}/init.json`);
        assert.ok(await waitFor(() => exists(sock), 10_000), "the agent did not start");
        const r = await sb.runo(["run", "-d", "-b", bundle.dir, id]);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(await exists(`${dir}/init.json`));
      }
      await using _agent = startAgent(sock, `${dir}/exec.json`);
      assert.ok(await waitFor(() => exists(sock), 10_000), "the second agent did not start");
      const e = await sb.runo(["exec", id, "sh", "-c", "mkdir /tmp/y 2>&1; echo rc=$?"]);
      assert.equal(e.code, 0, e.stderr);
      assert.match(e.stdout, /Invalid cross-device link/);
      assert.match(e.stdout, /^rc=1$/m);
      const initPid = JSON.parse((await sb.runo(["state", id])).stdout).pid;
      const got = JSON.parse(await Deno.readTextFile(`${dir}/exec.json`));
      assert.deepEqual(got.fds, ["seccompFd"]);
      assert.equal(got.state.id, id);
      assert.equal(got.state.status, "running");
      assert.equal(got.state.pid, initPid);
      assert.ok(got.pid > 0 && got.pid !== initPid, "pid is the exec'd process");
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
