// process.execCPUAffinity for exec (runtime spec 1.3, runc 1.3): `initial`
// is the affinity of the process while it joins the container's cgroups
// (runo logs it at --debug, as runc's nsexec logs "affinity: 0x…"),
// `final` what the exec'd program runs with (its Cpus_allowed_list, read
// from inside); without either, runo's own affinity is not passed on. As
// runc's tests/integration/cpu_affinity.bats. runc 1.1.5 has none of this
// (it ignores the field and passes its own affinity on): under
// RUNO_BIN=runc these tests are ignored with that reason.
//
// Permissions: read, write, run, env. Needs root and two CPUs.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { running, SLEEPER } from "../fixtures/container.ts";
import { host, isRunc, oneLineError, requires, runoBin, sandbox } from "../fixtures/runo.ts";

const cpus = new Deno.Command("nproc", { stdout: "piped" }).outputSync();
const twoCpus = Number(new TextDecoder().decode(cpus.stdout).trim()) >= 2;
const needs = requires(
  "root",
  "busybox",
  "cli",
  { met: !isRunc(), reason: "need execCPUAffinity, which runc 1.1.5 lacks (runc 1.3 has it)" },
  { met: twoCpus, reason: "need two CPUs" },
);

const ALLOWED = ["grep", "Cpus_allowed_list", "/proc/self/status"];

function allowedList(out: string): string {
  const m = /^Cpus_allowed_list:\s*(\S+)$/m.exec(out);
  assert.ok(m, `no Cpus_allowed_list in ${out}`);
  return m[1];
}

async function sleeper(edit?: (c: Config) => void) {
  const sb = await sandbox();
  const bundle = await createBundle({ args: SLEEPER, config: edit });
  const id = await running(sb, bundle);
  return {
    sb,
    id,
    async [Symbol.asyncDispose]() {
      await sb.cleanup();
      await bundle.cleanup();
    },
  };
}

/** `runo --debug exec --process FILE ID` with `process`; returns the run. */
async function execProcess(
  c: { sb: Awaited<ReturnType<typeof sandbox>>; id: string },
  process: object,
) {
  const file = `${c.sb.root}/process.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({ cwd: "/", user: { uid: 0, gid: 0 }, args: ALLOWED, ...process }),
  );
  return await c.sb.runo(["--debug", "exec", "--process", file, c.id]);
}

Deno.test({
  name: "exec: initial is the affinity of the joining process, final the program's",
  ...needs,
  async fn() {
    await using c = await sleeper();
    for (
      const [initial, final, mask] of [["1", "0", "0x2"], ["0", "1", "0x1"], ["0-1", "1", "0x3"]]
    ) {
      const r = await execProcess(c, { execCPUAffinity: { initial, final } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`affinity before the cgroup join: ${mask}\\b`));
      assert.equal(allowedList(r.stdout), final, `initial ${initial}, final ${final}`);
    }
  },
});

Deno.test({
  name: "exec: config.json's execCPUAffinity applies to exec'd processes, not to the init",
  ...needs,
  async fn() {
    await using c = await sleeper((cfg) => {
      cfg.process!.execCPUAffinity = { initial: "0", final: "1" };
    });
    const r = await c.sb.runo(["exec", c.id, ...ALLOWED]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(allowedList(r.stdout), "1");
    // The spec: the init is not affected; its affinity was reset (runc).
    const state = JSON.parse((await c.sb.runo(["state", c.id])).stdout);
    const status = (await host("cat", [`/proc/${state.pid}/status`])).stdout;
    assert.equal(allowedList(status), "0-1");
  },
});

Deno.test({
  name: "exec without execCPUAffinity does not pass runo's own affinity on (runc 1.3's reset)",
  ...needs,
  async fn() {
    await using c = await sleeper();
    // Positive control: taskset does pin a process started under it.
    const pinned = await host("taskset", [
      "-c",
      "1",
      "grep",
      "Cpus_allowed_list",
      "/proc/self/status",
    ]);
    assert.equal(allowedList(pinned.stdout), "1");
    const r = await host("taskset", [
      "-c",
      "1",
      runoBin(),
      "--root",
      c.sb.root,
      "exec",
      c.id,
      ...ALLOWED,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(allowedList(r.stdout), "0-1");
  },
});

Deno.test({
  name: "exec: a bad or unusable execCPUAffinity fails in one line and runs nothing",
  ...needs,
  async fn() {
    await using c = await sleeper();
    const backwards = await execProcess(c, { execCPUAffinity: { final: "1-0" } });
    assert.notEqual(backwards.code, 0);
    assert.match(
      oneLineError(backwards.stderr.replace(/^time=.*level=debug.*$/gm, "")),
      /\/execCPUAffinity\/final.*invalid range "1-0"/,
    );
    const absent = await execProcess(c, { execCPUAffinity: { final: "4095" } });
    assert.notEqual(absent.code, 0);
    assert.match(absent.stderr, /process\.execCPUAffinity\.final: .*sched_setaffinity.*EINVAL/);
    assert.doesNotMatch(absent.stdout, /Cpus_allowed_list/, "the program did not run");
  },
});
