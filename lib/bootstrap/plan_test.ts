import { assertEquals } from "../testing/assert.ts";
import { planJson } from "./plan.ts";

Deno.test("planJson() writes u64 fields as decimal and bytes as hex", () => {
  const json = planJson([
    {
      op: "SECCOMP",
      step: "seccompLate",
      bytes: new Uint8Array([6, 0, 0, 0, 0, 0, 0xff, 0x7f]),
      flags: 0,
    },
    { op: "SETRLIMIT", step: "rlimits", num: 7, value: 1024n, value2: (1n << 64n) - 1n },
  ]);
  assertEquals(JSON.parse(json), [
    { op: "SECCOMP", step: "seccompLate", bytes: "060000000000ff7f", flags: 0 },
    { op: "SETRLIMIT", step: "rlimits", num: 7, value: "1024", value2: "18446744073709551615" },
  ]);
});
