import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { ioPriorityOps, schedAttr, schedulerOps } from "./scheduler.ts";

Deno.test("schedAttr() encodes struct sched_attr (VER0) little endian", () => {
  const b = schedAttr({ policy: "SCHED_FIFO", priority: 10, flags: ["SCHED_FLAG_RESET_ON_FORK"] });
  const v = new DataView(b.buffer);
  assertEquals(b.length, 48);
  assertEquals(v.getUint32(0, true), 48);
  assertEquals(v.getUint32(4, true), 1);
  assertEquals(v.getBigUint64(8, true), 1n);
  assertEquals(v.getInt32(16, true), 0);
  assertEquals(v.getUint32(20, true), 10);
});

Deno.test("schedAttr() carries a negative nice and deadline parameters", () => {
  const n = new DataView(schedAttr({ policy: "SCHED_OTHER", nice: -5 }).buffer);
  assertEquals(n.getInt32(16, true), -5);
  const d = new DataView(
    schedAttr({ policy: "SCHED_DEADLINE", runtime: 1000, deadline: 2000, period: 3000 }).buffer,
  );
  assertEquals(d.getUint32(4, true), 6);
  assertEquals([d.getBigUint64(24, true), d.getBigUint64(32, true), d.getBigUint64(40, true)], [
    1000n,
    2000n,
    3000n,
  ]);
});

Deno.test("schedAttr() uses the VER1 size when util clamping is asked for", () => {
  assertEquals(
    schedAttr({ policy: "SCHED_OTHER", flags: ["SCHED_FLAG_UTIL_CLAMP_MIN"] }).length,
    56,
  );
});

Deno.test("schedAttr() refuses unknown policies and flags at their pointers", () => {
  const e = assertThrows(() => schedAttr({ policy: "SCHED_X" }), ConfigError);
  assertEquals(e.pointer, "/process/scheduler/policy");
  const f = assertThrows(() => schedAttr({ policy: "SCHED_OTHER", flags: ["X"] }), ConfigError);
  assertEquals(f.pointer, "/process/scheduler/flags/0");
});

Deno.test("schedulerOps() and ioPriorityOps() plan nothing when unset", () => {
  assertEquals(schedulerOps(undefined), []);
  assertEquals(ioPriorityOps(undefined), []);
});

Deno.test("ioPriorityOps() plans class << 13 | level", () => {
  assertEquals(ioPriorityOps({ class: "IOPRIO_CLASS_BE", priority: 6 }), [
    { op: "IOPRIO_SET", num: (2 << 13) | 6 },
  ]);
  assertEquals(ioPriorityOps({ class: "IOPRIO_CLASS_IDLE", priority: 0 })[0].num, 3 << 13);
  assertThrows(() => ioPriorityOps({ class: "IOPRIO_CLASS_RT", priority: 8 }), ConfigError);
});
