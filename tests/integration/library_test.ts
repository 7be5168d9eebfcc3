// The library API (mod.ts) driving real containers. Each case is a small
// Deno program run in its own process with exactly the flags it is given,
// so the permission checks are the real ones (the test runner itself has
// no --allow-ffi).
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
const needs = requires("root", "busybox", runoOnly("library API (mod.ts), run without any CLI"));
const LIB_FLAGS = ["--allow-ffi", "--allow-read", "--allow-write", "--allow-env"];
const MOD = `file://${REPO_ROOT}/mod.ts`;

/** Runs `script` (with `MOD` bound to mod.ts's URL) under deno run with `flags`. */
async function library(script: string, flags: string[] = LIB_FLAGS, stdin?: string) {
  const file = await Deno.makeTempFile({ prefix: "runo-lib-", suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, script.replaceAll("MOD", JSON.stringify(MOD)));
    return await host(Deno.execPath(), ["run", "--no-prompt", ...flags, file], { stdin });
  } finally {
    await Deno.remove(file);
  }
}

Deno.test({
  name: "Runtime.output() collects stdout, stderr and the exit code from inside the container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sh", "-c", "echo pid=$$ host=$(hostname); read line; echo got $line >&2; exit 7"],
    });
    const r = await library(`
      import { Runtime } from MOD;
      const rt = new Runtime({ root: ${JSON.stringify(sb.root)} });
      const out = await rt.output("${uniqueId()}", ${
      JSON.stringify(bundle.dir)
    }, { stdin: "hello\\n" });
      console.log(JSON.stringify(out));
    `);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    // PID 1 and the config's hostname ("runc") prove it ran in the container.
    assert.deepEqual(JSON.parse(r.stdout), {
      code: 7,
      stdout: "pid=1 host=runc\n",
      stderr: "got hello\n",
    });
    assert.deepEqual([...Deno.readDirSync(sb.root)], [], "run deletes the container");
  },
});

Deno.test({
  name: "Runtime create/state/start/list/kill/delete follow the OCI lifecycle",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "60"] });
    const id = sb.track(uniqueId());
    const r = await library(`
      import { Runtime } from MOD;
      const rt = new Runtime({ root: ${JSON.stringify(sb.root)} });
      const seen = [];
      const created = await rt.create("${id}", ${JSON.stringify(bundle.dir)});
      seen.push(created.status, created.pid > 0, created.bundle);
      await rt.start("${id}");
      seen.push((await rt.state("${id}")).status);
      seen.push((await rt.list()).containers.map((c) => c.id));
      await rt.kill("${id}", "KILL");
      for (let i = 0; i < 100 && (await rt.state("${id}")).status !== "stopped"; i++) {
        await new Promise((ok) => setTimeout(ok, 20));
      }
      seen.push((await rt.state("${id}")).status);
      await rt.delete("${id}");
      seen.push((await rt.list()).containers.length);
      try { await rt.state("${id}"); seen.push("state after delete worked"); }
      catch (err) { seen.push(err.message.includes("${id}")); }
      console.log(JSON.stringify(seen));
    `);
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), [
      "created",
      true,
      bundle.dir,
      "running",
      [id],
      "stopped",
      0,
      true,
    ]);
    assert.equal(await exists(`${sb.root}/${id}`), false);
  },
});

Deno.test({
  name: "Runtime.run() without --allow-ffi fails naming the flag, and leaves nothing behind",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["true"] });
    const r = await library(
      `
      import { Runtime } from MOD;
      await new Runtime({ root: ${JSON.stringify(sb.root)} }).run("x", ${
        JSON.stringify(bundle.dir)
      });
    `,
      ["--allow-read", "--allow-write", "--allow-env"],
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NotCapable: Runtime\.run needs --allow-ffi: run Deno with --allow-ffi/);
    assert.deepEqual([...Deno.readDirSync(sb.root)], []);
  },
});

Deno.test({
  name: "Runtime.create() without --allow-write names the flag and the root it needs",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["true"] });
    const r = await library(
      `
      import { Runtime } from MOD;
      await new Runtime({ root: ${JSON.stringify(sb.root)} }).create("x", ${
        JSON.stringify(bundle.dir)
      });
    `,
      ["--allow-ffi", "--allow-read", "--allow-env"],
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`needs --allow-write \\(write ${sb.root}\\)`));
  },
});

Deno.test({
  name: "Runtime.create() of a bad config throws a ConfigError with its pointer, leaving no state",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["true"] });
    bundle.config.process!.args = [];
    await bundle.write();
    const r = await library(`
      import { ConfigError, Runtime } from MOD;
      try {
        await new Runtime({ root: ${JSON.stringify(sb.root)} }).create("bad", ${
      JSON.stringify(bundle.dir)
    });
        console.log("created");
      } catch (err) {
        console.log(err instanceof ConfigError, err.pointer);
      }
    `);
    assert.equal(r.stdout, "true /process/args\n");
    assert.equal(await exists(`${sb.root}/bad`), false);
  },
});

Deno.test({
  name: "Runtime({ libDir }) loads libnsexec.so and runo-init from that directory",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["echo", "from copy"] });
    const copy = await Deno.makeTempDir({ prefix: "runo-libcopy-" });
    try {
      for (const f of ["libnsexec.so", "runo-init"]) {
        await Deno.copyFile(`${REPO_ROOT}/build/${f}`, `${copy}/${f}`);
      }
      const ok = await library(`
        import { Runtime } from MOD;
        const rt = new Runtime({ root: ${JSON.stringify(sb.root)}, libDir: ${
        JSON.stringify(copy)
      } });
        const out = await rt.output("${uniqueId()}", ${JSON.stringify(bundle.dir)});
        console.log(out.stdout.trim());
      `);
      assert.equal(ok.stderr, "");
      assert.equal(ok.stdout, "from copy\n");
      // Proof that the option is used: without the init there it fails.
      await Deno.remove(`${copy}/runo-init`);
      const bad = await library(`
        import { Runtime } from MOD;
        const rt = new Runtime({ root: ${JSON.stringify(sb.root)}, libDir: ${
        JSON.stringify(copy)
      } });
        await rt.output("${uniqueId()}", ${JSON.stringify(bundle.dir)});
      `);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, new RegExp(`${copy}/runo-init`));
    } finally {
      await Deno.remove(copy, { recursive: true });
    }
  },
});

Deno.test({
  name: "Runtime pause/resume/update/pids/stats/events act on the container's cgroup",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "60"] });
    const id = sb.track(uniqueId());
    const r = await library(`
      import { Runtime } from MOD;
      const rt = new Runtime({ root: ${JSON.stringify(sb.root)} });
      const seen = {};
      const { pid } = await rt.create("${id}", ${JSON.stringify(bundle.dir)});
      await rt.start("${id}");
      seen.pids = (await rt.pids("${id}")).includes(pid);
      await rt.pause("${id}");
      seen.paused = (await rt.state("${id}")).status;
      await rt.resume("${id}");
      seen.resumed = (await rt.state("${id}")).status;
      seen.warnings = await rt.update("${id}", { pids: { limit: 42 } });
      const stats = await rt.stats("${id}");
      seen.stats = [stats.pids.limit, stats.pids.current, typeof stats.cpu.usage.total];
      const events = [];
      for await (const e of rt.events("${id}", { intervalMs: 50 })) {
        events.push(e.type);
        if (events.length === 2) break;
      }
      seen.events = events;
      await rt.delete("${id}", { force: true });
      console.log(JSON.stringify(seen));
    `);
    assert.equal(r.stderr, "");
    assert.deepEqual(JSON.parse(r.stdout), {
      pids: true,
      paused: "paused",
      resumed: "running",
      warnings: [],
      stats: [42, 1, "number"],
      events: ["stats", "stats"],
    });
  },
});

Deno.test({
  name: "Runtime.exec()/execOutput() run a process inside a running container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "60"] });
    const id = sb.track(uniqueId());
    const r = await library(`
      import { Runtime } from MOD;
      const rt = new Runtime({ root: ${JSON.stringify(sb.root)} });
      await rt.run("${id}", ${JSON.stringify(bundle.dir)}, { detach: true, stdio: [0, 1, 2] });
      const out = await rt.execOutput("${id}", ["sh", "-c", "read x; echo $x $(id -u):$(id -g) $PWD $FOO; readlink /proc/self/ns/pid; exit 4"], {
        stdin: "in\\n", user: "65534:65534", cwd: "/tmp", env: ["FOO=bar"],
      });
      const code = await rt.exec("${id}", ["true"]);
      console.log(JSON.stringify({ out, code }));
      await rt.delete("${id}", { force: true });
    `);
    assert.equal(r.stderr, "");
    const { out, code } = JSON.parse(r.stdout);
    assert.equal(code, 0);
    assert.equal(out.code, 4);
    assert.equal(out.stderr, "");
    const [line, pidns] = out.stdout.split("\n");
    assert.equal(line, "in 65534:65534 /tmp bar");
    // The exec'd process is in the container's pid namespace, not ours.
    const ours = await host("readlink", ["/proc/self/ns/pid"]);
    assert.match(pidns, /^pid:\[\d+\]$/);
    assert.notEqual(pidns, ours.stdout.trim());
  },
});

Deno.test({
  // The pty proxy of a foreground terminal run reads the caller's stdin;
  // once the container is gone no read may stay pending, or a library
  // caller would live on (and leak) until its stdin closed.
  name: "Runtime.run() of a terminal container in the foreground leaves no read of stdin behind",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["echo", "from-pty"],
      config: (c) => void (c.process!.terminal = true),
    });
    const id = sb.track(uniqueId());
    const file = await Deno.makeTempFile({ prefix: "runo-lib-", suffix: ".ts" });
    try {
      await Deno.writeTextFile(
        file,
        `import { Runtime } from ${JSON.stringify(MOD)};
        const rt = new Runtime({ root: ${JSON.stringify(sb.root)} });
        const code = await rt.run("${id}", ${JSON.stringify(bundle.dir)});
        console.log("code=" + code);`,
      );
      // stdin is a pipe we keep open: a pending read would hold the process.
      const started = performance.now();
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-prompt", ...LIB_FLAGS, file],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const r = await child.output();
      clearTimeout(timer);
      await child.stdin.close().catch(() => {});
      const ms = performance.now() - started;
      const stdout = new TextDecoder().decode(r.stdout);
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
      assert.match(stdout, /from-pty/);
      assert.match(stdout, /^code=0$/m);
      assert.ok(ms < 10_000, `the library process lived ${Math.round(ms)} ms (stdin read pending)`);
    } finally {
      await Deno.remove(file);
    }
  },
});
