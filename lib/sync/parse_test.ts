import { assertEquals, assertThrows } from "../testing/assert.ts";
import { parseFromInit, ProtocolError } from "./parse.ts";
import { encodeMessage } from "./messages.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("parseFromInit() reads procPids", () => {
  assertEquals(parseFromInit(enc('{"type":"procPids","stage1_pid":12,"stage2_pid":13}')), {
    type: "procPids",
    stage1_pid: 12,
    stage2_pid: 13,
  });
});

Deno.test("parseFromInit() reads procReady and procError", () => {
  assertEquals(parseFromInit(enc('{"type":"procReady"}')), { type: "procReady" });
  assertEquals(
    parseFromInit(enc('{"type":"procError","op":4,"errno":1,"message":"mount \\"x\\""}')),
    { type: "procError", op: 4, errno: 1, message: 'mount "x"' },
  );
});

Deno.test("parseFromInit() rejects truncated, unknown and mistyped packets", () => {
  const bad = [
    '{"type":"procPids","stage1_pid":12',
    '{"type":"procFoo"}',
    '{"type":"procPids","stage1_pid":"12","stage2_pid":3}',
    '{"type":"procError","op":1.5,"errno":1}',
    "null",
    "",
    "[]",
  ];
  for (const text of bad) assertThrows(() => parseFromInit(enc(text)), ProtocolError);
});

Deno.test("parseFromInit() survives random bytes with a ProtocolError only", () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 500; i++) {
    const bytes = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => rand() * 256);
    try {
      parseFromInit(bytes);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
    }
  }
});

Deno.test("parseFromInit() reads procSeccomp; encodeMessage() writes procSeccompDone", () => {
  assertEquals(parseFromInit(enc('{"type":"procSeccomp"}')), { type: "procSeccomp" });
  assertEquals(
    new TextDecoder().decode(encodeMessage({ type: "procSeccompDone" })),
    '{"type":"procSeccompDone"}',
  );
});
