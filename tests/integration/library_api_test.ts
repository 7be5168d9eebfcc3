// The library API (mod.ts) as a Deno user meets it: scoped permission
// grants, the error classes and their codes, AbortSignal, `await using`,
// and exec's runc flags. As library_test.ts, each case is a small program
// run with exactly the flags it is given, against real containers.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import {
  exists,
  host,
  REPO_ROOT,
  requires,
  runoOnly,
  sandbox,
  uniqueId,
} from "../fixtures/runo.ts";

// mod.ts drives the containers and no CLI runs: RUNO_BIN=runc changes nothing here.
const LIBRARY = runoOnly("library API (mod.ts), run without any CLI");
const needs = requires("root", "busybox", LIBRARY);
const LIB_FLAGS = ["--allow-ffi", "--allow-read", "--allow-write", "--allow-env"];
const MOD = `file://${REPO_ROOT}/mod.ts`;
const CREATE_ENV = "NOTIFY_SOCKET,LISTEN_FDS,LISTEN_PID";

async function library(script: string, flags: string[] = LIB_FLAGS) {
  const file = await Deno.makeTempFile({ prefix: "runo-lib-", suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, script.replaceAll("MOD", JSON.stringify(MOD)));
    // Read of the script itself: deno run needs it, the library does not.
    const withScript = flags.map((f) => f.startsWith("--allow-read=") ? `${f},${file}` : f);
    return await host(Deno.execPath(), ["run", "--no-prompt", ...withScript, file]);
  } finally {
    await Deno.remove(file);
  }
}

const j = JSON.stringify;

Deno.test({
  name: "Runtime.output() works with scoped grants: the root, the bundle, runo's tree, 3 variables",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sh", "-c", "echo scoped; echo e >&2"] });
    const scoped = [
      "--allow-ffi",
      `--allow-read=${sb.root},${bundle.dir},${REPO_ROOT}`,
      `--allow-write=${sb.root}`,
      `--allow-env=${CREATE_ENV}`,
    ];
    const r = await library(
      `import { Runtime } from MOD;
      const out = await new Runtime({ root: ${j(sb.root)} }).output("${uniqueId()}", ${
        j(bundle.dir)
      });
      console.log(JSON.stringify(out));`,
      scoped,
    );
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), { code: 0, stdout: "scoped\n", stderr: "e\n" });
    // Positive control: the same grant without runo's tree fails, naming it.
    const noTree = await library(
      `import { Runtime } from MOD;
      await new Runtime({ root: ${j(sb.root)} }).output("${uniqueId()}", ${j(bundle.dir)});`,
      scoped.map((f) => f.replace(`,${REPO_ROOT}`, "")),
    );
    assert.notEqual(noTree.code, 0);
    assert.match(noTree.stderr, new RegExp(`needs --allow-read \\(read ${REPO_ROOT}/?\\)`));
    assert.deepEqual([...Deno.readDirSync(sb.root)], []);
  },
});

Deno.test({
  name: "Runtime.output() without --allow-env names the flag and each variable, before acting",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["true"] });
    const r = await library(
      `import { Runtime } from MOD;
      await new Runtime({ root: ${j(sb.root)} }).output("x", ${j(bundle.dir)});`,
      ["--allow-ffi", "--allow-read", "--allow-write"],
    );
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /NotCapable: Runtime\.output needs --allow-env \(env NOTIFY_SOCKET, env LISTEN_FDS, env LISTEN_PID\)/,
    );
    assert.deepEqual([...Deno.readDirSync(sb.root)], []);
  },
});

Deno.test({
  name:
    "errors are exported classes with a code: ALREADY_EXISTS, NOT_FOUND, INVALID_ID, INVALID_CONFIG",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "60"] });
    const id = sb.track(uniqueId());
    const r = await library(`
      import { ConfigError, Runtime, StateError, SyscallError } from MOD;
      const rt = new Runtime({ root: ${j(sb.root)} });
      const seen = [];
      const caught = async (f) => { try { await f(); return "no error"; } catch (e) { return e; } };
      await rt.create("${id}", ${j(bundle.dir)});
      let e = await caught(() => rt.create("${id}", ${j(bundle.dir)}));
      seen.push(e instanceof StateError, e.code, e.id);
      e = await caught(() => rt.state("no-such-${id}"));
      seen.push(e instanceof StateError, e.code);
      e = await caught(() => rt.create("a/b", ${j(bundle.dir)}));
      seen.push(e instanceof StateError, e.code);
      e = await caught(() => rt.create("x-${id}", "/nonexistent-bundle"));
      seen.push(e.name, e.code);
      e = await caught(() => rt.kill("${id}", 9999));
      seen.push(e instanceof SyscallError, e.code);
      await rt.delete("${id}", { force: true });
      console.log(JSON.stringify(seen));
    `);
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), [
      true,
      "ALREADY_EXISTS",
      id,
      true,
      "NOT_FOUND",
      true,
      "INVALID_ID",
      "BundleError",
      "INVALID_BUNDLE",
      true,
      "EINVAL",
    ]);
    assert.equal(await exists(`${sb.root}/x-${id}`), false);
  },
});

Deno.test({
  name:
    "Runtime.run()/exec() with an AbortSignal: abort kills the process, rejects, leaves nothing",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "60"] });
    const id = sb.track(uniqueId());
    const r = await library(`
      import { Runtime } from MOD;
      const rt = new Runtime({ root: ${j(sb.root)} });
      const seen = [];
      const t0 = Date.now();
      try {
        await rt.run("${id}-fg", ${j(bundle.dir)}, { signal: AbortSignal.timeout(300) });
        seen.push("run resolved");
      } catch (e) { seen.push(e.name); }
      seen.push((await rt.list()).containers.length, Date.now() - t0 < 30000);
      await rt.run("${id}", ${j(bundle.dir)}, { detach: true });
      try {
        await rt.execOutput("${id}", ["sleep", "60"], { signal: AbortSignal.timeout(300) });
        seen.push("exec resolved");
      } catch (e) { seen.push(e.name); }
      // Still running: the abort killed the exec'd process, not the container.
      seen.push((await rt.state("${id}")).status, (await rt.pids("${id}")).length);
      const gone = new AbortController(); gone.abort();
      try { await rt.run("never", ${j(bundle.dir)}, { signal: gone.signal }); }
      catch (e) { seen.push(e.name); }
      await rt.delete("${id}", { force: true });
      console.log(JSON.stringify(seen));
    `);
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), [
      "TimeoutError",
      0,
      true,
      "TimeoutError",
      "running",
      1,
      "AbortError",
    ]);
    assert.deepEqual([...Deno.readDirSync(sb.root)], []);
  },
});

Deno.test({
  name: "await using: a created container and a Runtime delete what they made, nothing else",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "60"] });
    const id = sb.track(uniqueId());
    const r = await library(`
      import { Runtime } from MOD;
      const root = ${j(sb.root)};
      const seen = [];
      const other = new Runtime({ root });
      await other.run("${id}-other", ${j(bundle.dir)}, { detach: true });
      {
        await using rt = new Runtime({ root });
        {
          await using c = await rt.create("${id}-a", ${j(bundle.dir)});
          seen.push(c.status);
        }
        seen.push((await rt.list()).containers.map((c) => c.id).sort());
        await rt.run("${id}-b", ${j(bundle.dir)}, { detach: true });
        await rt.create("${id}-c", ${j(bundle.dir)});
      }
      seen.push((await other.list()).containers.map((c) => c.id));
      // A run that fails on another's id does not make that container ours.
      {
        await using rt = new Runtime({ root });
        try { await rt.run("${id}-other", ${j(bundle.dir)}, { detach: true }); }
        catch (e) { seen.push(e.code); }
      }
      seen.push((await other.list()).containers.map((c) => c.id));
      await other.delete("${id}-other", { force: true });
      console.log(JSON.stringify(seen));
    `);
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), [
      "created",
      [`${id}-other`],
      [`${id}-other`],
      "ALREADY_EXISTS",
      [`${id}-other`],
    ]);
  },
});

Deno.test({
  name: "Runtime.exec() takes an OCI process, pidFile, and a tty through consoleSocket",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "60"] });
    const id = sb.track(uniqueId());
    const pidFile = `${sb.root}-exec.pid`;
    const r = await library(`
      import { Runtime } from MOD;
      const rt = new Runtime({ root: ${j(sb.root)} });
      await rt.run("${id}", ${j(bundle.dir)}, { detach: true });
      const seen = [];
      const out = await rt.execOutput("${id}", [], {
        process: { args: ["sh", "-c", "echo $A $(id -u) $PWD"], env: ["A=from-process", "PATH=/bin"],
          cwd: "/tmp", user: { uid: 65534, gid: 65534 } },
        pidFile: ${j(pidFile)},
      });
      seen.push(out.stdout, out.code);
      const pid = Number(Deno.readTextFileSync(${j(pidFile)}));
      seen.push(pid > 1);
      let started = 0;
      await rt.exec("${id}", ["sleep", "30"], { detach: true, onStarted: (p) => started = p });
      seen.push((await rt.pids("${id}")).includes(started));
      // A tty in the foreground with no console socket: runo proxies it;
      // with detach it needs a console socket, as runc exec does.
      try { await rt.exec("${id}", ["true"], { tty: true, detach: true }); seen.push("ok"); }
      catch (e) { seen.push(e.message.includes("console")); }
      // No delete here: the detached sleep is this program's child, and
      // its zombie would hold the container's pid namespace until this
      // program exits (the sandbox deletes it then).
      console.log(JSON.stringify(seen));
    `);
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), ["from-process 65534 /tmp\n", 0, true, true, true]);
    await Deno.remove(pidFile).catch(() => {});
  },
});

Deno.test({
  name: "importing mod.ts needs no permission and the config functions work with none",
  ...requires(LIBRARY),
  async fn() {
    const r = await library(
      `import { defaultConfig, Runtime, StateError, validateConfig } from MOD;
      const rt = new Runtime({ root: "/nonexistent" });
      console.log(validateConfig(JSON.stringify(defaultConfig())).ociVersion !== "", rt.root,
        typeof StateError);`,
      [],
    );
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "true /nonexistent function\n");
  },
});
