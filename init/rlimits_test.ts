import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { rlimitOps, RLIMITS } from "./rlimits.ts";

Deno.test("RLIMITS numbers all sixteen resources as <asm-generic/resource.h>", () => {
  assertEquals(Object.keys(RLIMITS).length, 16);
  assertEquals(RLIMITS.RLIMIT_CPU, 0);
  assertEquals(RLIMITS.RLIMIT_NOFILE, 7);
  assertEquals(RLIMITS.RLIMIT_RTTIME, 15);
});

Deno.test("rlimitOps() makes one SETRLIMIT per limit; 2^64 becomes RLIM_INFINITY", () => {
  const ops = rlimitOps([
    { type: "RLIMIT_NOFILE", soft: 512, hard: 4096 },
    { type: "RLIMIT_CORE", soft: 2 ** 64, hard: 2 ** 64 },
  ], "rlimits");
  assertEquals(ops, [
    { op: "SETRLIMIT", step: "rlimits", num: 7, value: 512n, value2: 4096n },
    {
      op: "SETRLIMIT",
      step: "rlimits",
      num: 4,
      value: (1n << 64n) - 1n,
      value2: (1n << 64n) - 1n,
    },
  ]);
});

Deno.test("rlimitOps() refuses an unknown name and soft > hard at their pointers", () => {
  const e1 = assertThrows(
    () => rlimitOps([{ type: "RLIMIT_X", soft: 1, hard: 1 }], "s"),
    ConfigError,
  );
  assertEquals(e1.pointer, "/process/rlimits/0/type");
  const e2 = assertThrows(
    () => rlimitOps([{ type: "RLIMIT_NOFILE", soft: 9, hard: 8 }], "s", "/p"),
    ConfigError,
  );
  assertEquals(e2.pointer, "/p/0");
});
