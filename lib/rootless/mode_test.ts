import { assertEquals, assertThrows } from "../testing/assert.ts";
import { effectiveUid, inUserNamespace, rootlessMode, stateRoot } from "./mode.ts";

const HOST = "         0          0 4294967295\n";
const NESTED = "         0     100000      65536\n";

Deno.test("inUserNamespace(): only the identity map is the initial namespace", () => {
  assertEquals(inUserNamespace(HOST), false);
  assertEquals(inUserNamespace(NESTED), true);
  assertEquals(inUserNamespace("0 1000 1\n"), true);
});

Deno.test("rootlessMode(): auto is rootless for a non-root euid or inside a userns", () => {
  assertEquals(rootlessMode(undefined, 0, HOST), false);
  assertEquals(rootlessMode("auto", 1000, HOST), true);
  assertEquals(rootlessMode("auto", 0, NESTED), true);
  assertEquals(rootlessMode("true", 0, HOST), true);
  assertEquals(rootlessMode("false", 1000, NESTED), false);
  assertThrows(() => rootlessMode("yes", 0, HOST), Error, 'invalid --rootless value "yes"');
});

Deno.test("stateRoot(): --root wins; rootless uses $XDG_RUNTIME_DIR/runo", () => {
  assertEquals(stateRoot("/r", true, "/run/user/1000"), "/r");
  assertEquals(stateRoot(undefined, true, "/run/user/1000/"), "/run/user/1000/runo");
  assertEquals(stateRoot(undefined, true, undefined), "/run/runo");
  assertEquals(stateRoot(undefined, false, "/run/user/1000"), "/run/runo");
});

Deno.test("effectiveUid(): the second Uid field", () => {
  assertEquals(effectiveUid("Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t5\t5\t5\t5\n"), 0);
  assertThrows(() => effectiveUid("Name:\tx\n"), Error, "no Uid line");
});
