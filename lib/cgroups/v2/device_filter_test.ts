import { assertEquals } from "../../testing/assert.ts";
import { deviceFilterProgram, encodeProgram, runProgram } from "./device_filter.ts";
import { DEFAULT_ALLOWED, normalizeRule } from "../devices.ts";

const DENY_ALL = normalizeRule({ allow: false, access: "rwm" });
const RULES = [DENY_ALL, ...DEFAULT_ALLOWED];
const prog = deviceFilterProgram(RULES);
const run = (type: "b" | "c", major: number, minor: number, access: string) =>
  runProgram(prog, { type, major, minor, access });

Deno.test("deviceFilterProgram() allows the default devices", () => {
  assertEquals(run("c", 1, 3, "rw"), 1); // /dev/null
  assertEquals(run("c", 136, 4, "rw"), 1); // a pts
  assertEquals(run("c", 10, 200, "r"), 1); // tun
});

Deno.test("deviceFilterProgram() denies what no rule allows, e.g. a disk /dev/sda", () => {
  assertEquals(run("b", 8, 0, "r"), 0);
  assertEquals(run("c", 4, 1, "w"), 0);
});

Deno.test("deviceFilterProgram() checks access: mknod of anything, not read", () => {
  assertEquals(run("b", 8, 0, "m"), 1);
  assertEquals(run("c", 1, 5, "rwm"), 1); // zero has rwm
});

Deno.test("deviceFilterProgram() lets the last matching rule win", () => {
  const p = deviceFilterProgram([
    normalizeRule({ allow: true, type: "c", major: 1 }),
    normalizeRule({ allow: false, type: "c", major: 1, minor: 5, access: "w" }),
  ]);
  assertEquals(runProgram(p, { type: "c", major: 1, minor: 5, access: "w" }), 0);
  assertEquals(runProgram(p, { type: "c", major: 1, minor: 5, access: "r" }), 1);
  assertEquals(runProgram(p, { type: "b", major: 1, minor: 5, access: "r" }), 0);
});

Deno.test("encodeProgram() lays out struct bpf_insn little-endian, dst in the low nibble", () => {
  const bytes = encodeProgram([{ code: 0x61, dst: 4, src: 1, off: 4, imm: 0 }]);
  assertEquals([...bytes], [0x61, 0x14, 4, 0, 0, 0, 0, 0]);
  assertEquals(encodeProgram(prog).length, prog.length * 8);
});

Deno.test("deviceFilterProgram() ends at a catch-all rule: no unreachable code for the verifier", () => {
  const p = deviceFilterProgram([
    DENY_ALL,
    normalizeRule({ allow: true, type: "c", major: 1, minor: 3 }),
  ]);
  // prologue 6, the c 1:3 block (type, major, minor checks + verdict) 5, deny-all 2
  assertEquals(p.length, 6 + 5 + 2);
  assertEquals(p.at(-1)!.code, 0x95);
  assertEquals(runProgram(p, { type: "b", major: 8, minor: 0, access: "r" }), 0);
  const allowAll = deviceFilterProgram([normalizeRule({ allow: true })]);
  assertEquals(runProgram(allowAll, { type: "b", major: 8, minor: 0, access: "rwm" }), 1);
});
