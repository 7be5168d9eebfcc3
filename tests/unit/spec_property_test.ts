// Property tests of the config parser (parseSpecText + validateForCreate):
// random bytes, every truncation of a real config, random values put at
// random places of a real config, and deep nesting. Whatever the input, the
// result is a Spec or a ConfigError naming a file, never another exception
// type, and each parse is quick (no hang). Seeded, so a failure reproduces:
// the seed and the input are in the message.
//
// Permissions: none (run under tests/unit with --allow-read, not needed).

import { assert } from "../../lib/testing/assert.ts";
import { ConfigError, defaultSpec, parseSpecText, validateForCreate } from "../../lib/spec/mod.ts";
import { prng, seed } from "./_prop.ts";

const SEED = seed();
const MAX_MS = 200;

/** Parses and validates; fails the test on any exception but ConfigError. */
function check(text: string, what: string, maxMs = MAX_MS): void {
  const t0 = performance.now();
  try {
    validateForCreate(parseSpecText(text));
  } catch (err) {
    if (!(err instanceof ConfigError)) {
      throw new Error(
        `${what} (seed ${SEED}): ${(err as Error)?.name}: ${(err as Error)?.message}\n` +
          `input: ${text.slice(0, 300)}`,
        { cause: err },
      );
    }
    assert(err.message.startsWith("config.json: "), `no file in: ${err.message}`);
    assert(!err.message.includes("\n"), `multi-line error: ${err.message}`);
  }
  const ms = performance.now() - t0;
  assert(ms < maxMs, `${what}: took ${ms.toFixed(0)} ms`);
}

const GOOD = JSON.stringify(defaultSpec(), null, 2);

Deno.test("parseSpecText(): every truncation of a real config is a Spec or a ConfigError", () => {
  for (let n = 0; n <= GOOD.length; n++) check(GOOD.slice(0, n), `prefix ${n}`);
});

Deno.test("parseSpecText(): random bytes are a ConfigError", () => {
  const rnd = prng(SEED);
  for (let i = 0; i < 2000; i++) {
    const len = Math.floor(rnd() * 64);
    const s = Array.from({ length: len }, () => String.fromCharCode(Math.floor(rnd() * 256)))
      .join("");
    check(s, `random string ${i}`);
  }
});

/** A random JSON value, biased to the shapes a parser trips on. */
function randomValue(rnd: () => number, depth = 0): unknown {
  const pick = Math.floor(rnd() * 16);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rnd() < 0.5;
    case 2:
      return -1;
    case 3:
      return 2 ** 64;
    case 4:
      return 1.5;
    case 5:
      return -(2 ** 31) - 1;
    case 6:
      return "";
    case 7:
      return "../../etc/passwd";
    case 8:
      return "x".repeat(5000);
    case 9:
      return "\u0000nul";
    case 10:
      return depth > 2 ? [] : [randomValue(rnd, depth + 1), randomValue(rnd, depth + 1)];
    case 11:
      return depth > 2 ? {} : { type: randomValue(rnd, depth + 1), x: randomValue(rnd, depth + 1) };
    case 12:
      return 0;
    case 13:
      return 4294967295;
    case 14:
      return "__proto__";
    default:
      return "/";
  }
}

type Json = Record<string, unknown> | unknown[];

/** Every container node of `v` with its children's keys. */
function containers(v: unknown, out: Json[] = []): Json[] {
  if (v !== null && typeof v === "object") {
    out.push(v as Json);
    for (const c of Object.values(v)) containers(c, out);
  }
  return out;
}

/** Replaces, deletes or adds one random member of one random container. */
function mutate(doc: unknown, rnd: () => number): void {
  const all = containers(doc);
  const node = all[Math.floor(rnd() * all.length)];
  const keys = Object.keys(node);
  const r = rnd();
  if (keys.length === 0 || r < 0.15) {
    const k = Array.isArray(node) ? String(node.length) : ["type", "path", "__proto__", "x"][
      Math.floor(rnd() * 4)
    ];
    (node as Record<string, unknown>)[k] = randomValue(rnd);
    return;
  }
  const key = keys[Math.floor(rnd() * keys.length)];
  if (r < 0.3 && !Array.isArray(node)) delete (node as Record<string, unknown>)[key];
  else (node as Record<string, unknown>)[key] = randomValue(rnd);
}

Deno.test("parseSpecText(): random values at random places of a real config", () => {
  const rnd = prng(SEED);
  const base = defaultSpec() as unknown as Record<string, unknown>;
  // Richer input than the default: the parts the default leaves out.
  const rich = {
    ...base,
    hooks: { prestart: [{ path: "/bin/true", args: ["true"], timeout: 3 }] },
    linux: {
      ...(base.linux as object),
      uidMappings: [{ containerID: 0, hostID: 1000, size: 10 }],
      seccomp: {
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [{ names: ["read"], action: "SCMP_ACT_ALLOW", args: [] }],
      },
      resources: { memory: { limit: 1 << 20 }, cpu: { shares: 2 }, devices: [] },
      sysctl: { "net.ipv4.ip_forward": "1" },
    },
  };
  const text = JSON.stringify(rich);
  for (let i = 0; i < 3000; i++) {
    const doc = JSON.parse(text);
    const n = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < n; k++) mutate(doc, rnd);
    check(JSON.stringify(doc), `mutation ${i}`);
  }
});

Deno.test("parseSpecText(): deep nesting and a huge document are ConfigErrors, not crashes", () => {
  // V8's JSON.parse is not recursive: 100k levels cost ~0.2 s, linearly.
  for (const depth of [1000, 100_000]) {
    check("[".repeat(depth) + "]".repeat(depth), `array depth ${depth}`, 1500);
    check('{"a":'.repeat(depth) + "1" + "}".repeat(depth), `object depth ${depth}`, 1500);
    const nested = `{"ociVersion":"1.0.0","root":{"path":"r"},"process":${"[".repeat(depth)}${
      "]".repeat(depth)
    }}`;
    check(nested, `nested process ${depth}`, 1500);
  }
  const big = { ...defaultSpec(), annotations: {} as Record<string, string> };
  for (let i = 0; i < 20_000; i++) big.annotations[`k${i}`] = "v".repeat(100);
  const t0 = performance.now();
  parseSpecText(JSON.stringify(big));
  assert(performance.now() - t0 < 2000, "a 2 MB config parses in under 2 s");
});
