import { assertEquals, assertThrows } from "../testing/assert.ts";
import { parseSignal } from "./signals.ts";

Deno.test("parseSignal() takes names with or without SIG, any case, and numbers", () => {
  assertEquals(parseSignal("KILL"), 9);
  assertEquals(parseSignal("SIGTERM"), 15);
  assertEquals(parseSignal("hup"), 1);
  assertEquals(parseSignal("9"), 9);
  assertEquals(parseSignal("RTMIN+2"), 36);
  assertEquals(parseSignal("SIGRTMAX"), 64);
});

Deno.test("parseSignal() takes 0, kill(2)'s existence probe, as runc does", () => {
  assertEquals(parseSignal("0"), 0);
});

Deno.test("parseSignal() refuses unknown names and out-of-range numbers", () => {
  for (const bad of ["FOO", "65", "-1", "SIGRTMIN+40", ""]) {
    assertThrows(() => parseSignal(bad), Error);
  }
});
