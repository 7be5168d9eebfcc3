// Property tests of the init-pipe framing (lib/sync/parse.ts): random
// bytes, every truncation of each real message, and real messages with
// fields swapped for random values. Whatever arrives, parseFromInit returns
// a well-formed message or throws ProtocolError, never another exception;
// and a procPids it accepts holds pids the parent may safely kill (a pid of
// 0 or -1 given to kill(2) would signal a process group or every process).
//
// Permissions: none.

import { assert } from "../../lib/testing/assert.ts";
import { parseFromInit, ProtocolError } from "../../lib/sync/parse.ts";
import type { FromInit } from "../../lib/sync/messages.ts";
import { prng, seed } from "./_prop.ts";

const SEED = seed();
const enc = new TextEncoder();

const REAL = [
  '{"type":"procPids","stage1_pid":12,"stage2_pid":13}',
  '{"type":"procReady"}',
  '{"type":"procSeccomp"}',
  '{"type":"procError","op":4,"errno":1,"message":"mount \\"x\\" on \\"/proc\\""}',
];

/** Parses; returns the message or undefined on ProtocolError; fails on anything else. */
function check(bytes: Uint8Array, what: string): FromInit | undefined {
  let msg: FromInit;
  try {
    msg = parseFromInit(bytes);
  } catch (err) {
    if (err instanceof ProtocolError) {
      assert(!err.message.includes("\n"), `multi-line error: ${err.message}`);
      return undefined;
    }
    throw new Error(
      `${what} (seed ${SEED}): ${(err as Error)?.name}: ${(err as Error)?.message}\n` +
        `input: ${new TextDecoder().decode(bytes.subarray(0, 200))}`,
      { cause: err },
    );
  }
  wellFormed(msg, what);
  return msg;
}

function wellFormed(msg: FromInit, what: string): void {
  const isPid = (n: number) => Number.isSafeInteger(n) && n > 0;
  switch (msg.type) {
    case "procPids":
      assert(
        isPid(msg.stage1_pid) && isPid(msg.stage2_pid),
        `${what}: pids ${msg.stage1_pid}, ${msg.stage2_pid}`,
      );
      return;
    case "procError":
      assert(Number.isInteger(msg.op) && Number.isInteger(msg.errno), `${what}: op/errno`);
      assert(typeof msg.message === "string", `${what}: message`);
      return;
    case "procReady":
    case "procSeccomp":
      return;
  }
}

Deno.test("parseFromInit(): every truncation of each real message", () => {
  for (const m of REAL) {
    const b = enc.encode(m);
    for (let n = 0; n < b.length; n++) {
      assert(
        check(b.subarray(0, n), `${m} cut at ${n}`) === undefined,
        `prefix ${n} of ${m} accepted`,
      );
    }
    assert(check(b, m) !== undefined, `${m} refused`);
  }
});

Deno.test("parseFromInit(): random bytes and random byte flips", () => {
  const rnd = prng(SEED);
  for (let i = 0; i < 3000; i++) {
    const b = new Uint8Array(Math.floor(rnd() * 80));
    for (let k = 0; k < b.length; k++) b[k] = Math.floor(rnd() * 256);
    check(b, `random ${i}`);
  }
  for (let i = 0; i < 3000; i++) {
    const b = enc.encode(REAL[i % REAL.length]);
    b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    check(b, `flip ${i}`);
  }
});

const VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  -2,
  1.5,
  2 ** 53,
  2 ** 64,
  -(2 ** 31),
  "12",
  "",
  [],
  {},
  [12],
  { n: 1 },
  "procReady",
  4194304,
  1e308,
];

Deno.test("parseFromInit(): real messages with fields of random values", () => {
  const rnd = prng(SEED + 1);
  const pick = () => VALUES[Math.floor(rnd() * VALUES.length)];
  for (let i = 0; i < 5000; i++) {
    const m = JSON.parse(REAL[i % REAL.length]) as Record<string, unknown>;
    const keys = [...Object.keys(m), "extra"];
    const k = keys[Math.floor(rnd() * keys.length)];
    m[k] = pick();
    if (rnd() < 0.3) m[keys[Math.floor(rnd() * keys.length)]] = pick();
    check(enc.encode(JSON.stringify(m)), `fields ${JSON.stringify(m)}`);
  }
  for (const v of VALUES) check(enc.encode(JSON.stringify(v)), `value ${JSON.stringify(v)}`);
});

Deno.test("parseFromInit(): procPids with a pid kill(2) reads as a group or everyone is refused", () => {
  for (const bad of [0, -1, -12, 1.5, 2 ** 53]) {
    for (const field of ["stage1_pid", "stage2_pid"]) {
      const m = { type: "procPids", stage1_pid: 12, stage2_pid: 13, [field]: bad };
      assert(
        check(enc.encode(JSON.stringify(m)), `${field} ${bad}`) === undefined,
        `${field}=${bad} accepted`,
      );
    }
  }
});
