// Seeded randomness for the property tests of tests/unit.
//
// Permissions: none (RUNO_PROP_SEED is read only with --allow-env).

/** mulberry32: a small seeded PRNG, enough to reproduce a failing case. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RUNO_PROP_SEED=<n> (with --allow-env) replays or varies the inputs. */
export function seed(): number {
  try {
    return Number(Deno.env.get("RUNO_PROP_SEED") ?? "") || 0x5eed;
  } catch {
    return 0x5eed; // no --allow-env: the fixed seed
  }
}
