import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { seccompOps } from "./seccomp.ts";
import type { Seccomp } from "../lib/spec/types.ts";

const config: Seccomp = { defaultAction: "SCMP_ACT_ALLOW" };
const program = { bpf: new Uint8Array(16), flags: 2, notify: false };

Deno.test("seccompOps() loads early without no_new_privs and late with it", () => {
  const op = [{ op: "SECCOMP", bytes: program.bpf, flags: 2 } as const];
  assertEquals(seccompOps(config, program, false, "early"), op);
  assertEquals(seccompOps(config, program, false, "late"), []);
  assertEquals(seccompOps(config, program, true, "early"), []);
  assertEquals(seccompOps(config, program, true, "late"), op);
});

Deno.test("seccompOps() plans nothing without a profile", () => {
  assertEquals(seccompOps(undefined, undefined, true, "late"), []);
});

Deno.test("seccompOps() refuses a missing or malformed program", () => {
  assertThrows(() => seccompOps(config, undefined, true, "late"), ConfigError, "not compiled");
  assertThrows(
    () => seccompOps(config, { ...program, bpf: new Uint8Array(12) }, true, "late"),
    ConfigError,
  );
  assertThrows(
    () => seccompOps(config, { ...program, bpf: new Uint8Array(8 * 4097) }, true, "late"),
    ConfigError,
    "4096",
  );
});
