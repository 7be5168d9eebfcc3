import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { phase, startTrace, traceLines, tracing } from "./trace.ts";

// One sequence: the module's state is the process's, as in the CLI.
Deno.test("trace: nothing before startTrace, then one line per phase adding up to the total", () => {
  phase("before");
  assertEquals(tracing(), false);
  assertEquals(traceLines(), []);
  const dispatchedAt = 0;
  startTrace(dispatchedAt);
  startTrace(); // a second start (--debug after RUNO_TRACE) changes nothing
  assert(tracing());
  phase("first");
  phase("sync: wait for", "procReady");
  const lines = traceLines();
  const names = lines.map((l) => l.replace(/^runo trace: (.*?)\s+[0-9.]+ ms$/, "$1"));
  assertEquals(names, [
    "deno start",
    "command bundle file",
    "first",
    "sync: wait for procReady",
    "total",
  ]);
  for (const l of lines) assertMatch(l, /^runo trace: .+ \d+\.\d\d ms$/);
  const ms = lines.map((l) => Number(/([0-9.]+) ms$/.exec(l)![1]));
  const sum = ms.slice(0, -1).reduce((a, b) => a + b, 0);
  assert(ms.every((m) => m >= 0), lines.join("\n"));
  assert(Math.abs(sum - ms[ms.length - 1]) < 0.05, `${sum} vs ${lines.join("\n")}`);
});
