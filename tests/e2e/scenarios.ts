// E2E scenarios: Deno.test with the engine's name in front, no sanitizers
// (an engine daemon outlives single tests), and the features a scenario
// needs from runo. A scenario whose feature runo does not have yet is
// ignored (Deno's "ignored" count) with the reason printed, so CI counts
// only what can pass; RUNO_E2E_ALL=1 runs them anyway (to see where they
// stand).
//
// Feature probes are cheap questions to the CLI under test (its --help, one
// tiny container for cgroups), asked once at load (Deno.test's ignore is
// decided at registration), so a scenario starts counting the day its
// feature lands, with no edit here.
//
// Permissions: read, write, run, env.

import { createBundle } from "../fixtures/bundle.ts";
import { host, REPO_ROOT } from "../fixtures/runo.ts";

export type Feature = "exec" | "terminal" | "cgroups" | "pause";

function runtimeBin(): string {
  return Deno.env.get("RUNO_BIN") || `${REPO_ROOT}/build/runo`;
}

function probe(args: string[]): { code: number; stderr: string } {
  try {
    const out = new Deno.Command(runtimeBin(), { args, stdout: "null", stderr: "piped" })
      .outputSync();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  } catch (e) {
    return { code: -1, stderr: (e as Error).message };
  }
}

/**
 * Does the runtime apply linux.resources? One tiny container with a pids
 * limit reads its own pids.max (an answer, not a guess from --help).
 */
async function probeCgroups(): Promise<string | undefined> {
  const bundle = await createBundle({
    args: ["cat", "/sys/fs/cgroup/pids/pids.max"],
    config: (c) => {
      c.linux!.resources = { ...c.linux!.resources, pids: { limit: 77 } };
    },
  });
  const root = await Deno.makeTempDir({ prefix: "runo-e2e-probe-" });
  try {
    const id = `e2e-probe-${Deno.pid}`;
    const r = await host(runtimeBin(), ["--root", root, "run", "--bundle", bundle.dir, id]);
    await host(runtimeBin(), ["--root", root, "delete", "--force", id]);
    return r.stdout.trim() === "77"
      ? undefined
      : "runo does not apply linux.resources to cgroups yet (probe: pids.max " +
        `"${r.stdout.trim()}", exit ${r.code})`;
  } finally {
    await bundle.cleanup();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

const cgroupsProbe = await probeCgroups();

const cache = new Map<Feature, string | undefined>();

/** undefined when runo has the feature, else why not. */
function missing(f: Feature): string | undefined {
  if (cache.has(f)) return cache.get(f);
  let why: string | undefined;
  switch (f) {
    case "exec":
    case "pause":
      why = probe([f, "--help"]).code === 0 ? undefined : `runo has no "${f}" command yet`;
      break;
    case "terminal": {
      // A runtime with terminals fails on the missing bundle, not the flag.
      const r = probe(["create", "--console-socket", "/nonexistent", "-b", "/nonexistent", "p"]);
      why = /not supported|not implemented/.test(r.stderr)
        ? "runo has no --console-socket yet"
        : undefined;
      break;
    }
    case "cgroups":
      why = cgroupsProbe;
      break;
  }
  cache.set(f, why);
  return why;
}

export interface ScenarioOptions {
  needs?: Feature[];
  /** Why this scenario cannot run in this configuration (it is then ignored). */
  ignore?: string;
}

const reported = new Set<string>();

/** Registers `<engine>: <name>` as a Deno.test. */
export function scenario(
  engine: string,
  name: string,
  fn: () => Promise<void>,
  opts: ScenarioOptions = {},
): void {
  const reasons = (opts.needs ?? []).map(missing).filter((r): r is string => r !== undefined);
  if (opts.ignore) reasons.push(opts.ignore);
  const blocked = reasons.length > 0 && Deno.env.get("RUNO_E2E_ALL") !== "1";
  if (blocked) {
    const why = reasons.join("; ");
    if (!reported.has(why)) console.error(`[e2e] ignoring scenarios blocked by: ${why}`);
    reported.add(why);
  }
  Deno.test({
    name: `${engine}: ${name}${blocked ? ` [blocked: ${reasons.join("; ")}]` : ""}`,
    ignore: blocked,
    sanitizeOps: false,
    sanitizeResources: false,
    fn,
  });
}
