// Arguments and exit codes as runc 1.1.5's: every command's arity (from
// runc's checkArgs, seen here by running runc with 0..3 arguments), the
// usage error for a count outside it, exit 1 for usage errors, 255 for a
// failed exec, and `h` for help.
//
// Permissions: read, write, run, env.

import assert from "node:assert/strict";
import { isRunc, oneLineError, requires, sandbox } from "../fixtures/runo.ts";

const needs = requires("cli");

/** runc 1.1.5: [min, max] positional arguments; max null means any number. */
const ARITY: Record<string, [number, number | null]> = {
  create: [1, 1],
  start: [1, 1],
  run: [1, 1],
  state: [1, 1],
  kill: [1, 2],
  delete: [1, 1],
  list: [0, 0],
  pause: [1, 1],
  resume: [1, 1],
  ps: [1, null],
  update: [1, 1],
  events: [1, 1],
  exec: [1, null],
  spec: [0, 0],
  features: [0, 0],
  checkpoint: [1, 1],
  restore: [1, 1],
};

Deno.test({
  name: "every command refuses a count of arguments outside runc's, and only such a count",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    // spec with no argument writes config.json into its cwd: a scratch one.
    const cwd = await Deno.makeTempDir({ prefix: "runo-arity-" });
    try {
      for (const [command, [min, max]] of Object.entries(ARITY)) {
        for (const n of [0, 1, 2, 3]) {
          const args = ["a", "b", "c"].slice(0, n);
          const r = await sb.runo([command, ...args], { cwd });
          const usage = /requires (exactly|at least|at most|a minimum of|a maximum of) \d/;
          const label = `${command} ${args.join(" ")}`.trim();
          if (n < min || (max !== null && n > max)) {
            assert.equal(r.code, 1, `${label}: exit ${r.code}, stderr ${r.stderr}`);
            assert.match(r.stderr, usage, label);
            // runc's logrus line escapes the quotes: msg="runc: \"create\" requires …".
            assert.match(r.stderr, new RegExp(`\\\\?"${command}\\\\?" requires`), label);
          } else {
            assert.doesNotMatch(r.stderr, usage, `${label} was refused:\n${r.stderr}`);
          }
        }
      }
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});

Deno.test({
  name: "runo's usage error is one line naming the count it got",
  ...needs,
  ignore: needs.ignore || isRunc(), // runc prints its help after "Incorrect Usage."
  async fn() {
    await using sb = await sandbox();
    const r = await sb.runo(["state", "a", "b"]);
    assert.equal(r.code, 1);
    assert.equal(oneLineError(r.stderr), 'runo: "state" requires exactly 1 argument, got 2');
  },
});

Deno.test({
  name: "a failed exec exits 255; a usage error of exec exits 1",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const missing = await sb.runo(["exec", "ghost", "true"]);
    assert.equal(missing.code, 255, missing.stderr);
    assert.match(oneLineError(missing.stderr), /container does not exist/);
    const usage = await sb.runo(["exec"]);
    assert.equal(usage.code, 1, usage.stderr);
    const flag = await sb.runo(["exec", "--bogus", "ghost", "true"]);
    assert.equal(flag.code, 1, flag.stderr);
  },
});

Deno.test({
  name: "`h` is help, as in runc: `runo h` lists the commands, `runo h run` is run's help",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const help = await sb.runo(["--help"]);
    const h = await sb.runo(["h"]);
    assert.equal(h.code, 0, h.stderr);
    assert.equal(h.stdout, help.stdout);
    const run = await sb.runo(["run", "--help"]);
    const hRun = await sb.runo(["h", "run"]);
    assert.equal(hRun.code, 0, hRun.stderr);
    assert.equal(hRun.stdout, run.stdout);
  },
});
