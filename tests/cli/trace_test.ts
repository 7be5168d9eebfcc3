// RUNO_TRACE=1 and --debug: the phase timings of one command (lib/log/trace.ts).
// runo's own diagnostics: runc has no such variable, so these do not run
// against it.
//
// Permissions: read, write, run, env.

import assert from "node:assert/strict";
import { isRunc, requires, sandbox } from "../fixtures/runo.ts";

const needs = { ...requires("cli"), ignore: requires("cli").ignore || isRunc() };
const TRACE_LINE = /^runo trace: (.+?)\s+(\d+\.\d\d) ms$/;

function phases(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = TRACE_LINE.exec(line.replace(/^.*msg="(.*)"$/, "$1"));
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

Deno.test({
  name: "RUNO_TRACE=1 prints one line per phase on stderr, adding up to the total",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const r = await sb.runo(["list", "-q"], { env: { RUNO_TRACE: "1" } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "", "stdout is the command's own");
    const p = phases(r.stderr);
    for (const name of ["deno start", "load list", "total"]) {
      assert.ok(p.has(name), `no "${name}" line in:\n${r.stderr}`);
    }
    const total = p.get("total")!;
    const sum = [...p].filter(([n]) => n !== "total").reduce((a, [, ms]) => a + ms, 0);
    assert.ok(Math.abs(sum - total) < 0.1 * p.size, `${sum} ms in phases, total ${total}`);
  },
});

Deno.test({
  name: "without RUNO_TRACE or --debug nothing is traced; --debug puts the trace in the log",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const quiet = await sb.runo(["list", "-q"]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, "");
    const log = `${sb.root}/debug.log`;
    const debug = await sb.runo(["--debug", "--log", log, "list", "-q"]);
    assert.equal(debug.code, 0, debug.stderr);
    assert.doesNotMatch(debug.stderr, /runo trace:/);
    const text = await Deno.readTextFile(log);
    assert.match(text, /level=debug/);
    assert.ok(phases(text).has("load list"), text);
  },
});
