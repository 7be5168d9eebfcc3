// The layers of the tree, kept by a test (as Deno std checks its package
// graph): the import graph of every TypeScript file, static imports and
// exports, literal import() and the `load<…>("path")` specifiers of
// lib/lazy.ts, must point the right way:
//   - ffi/ is the bottom: it imports only ffi/;
//   - init/ (the planners) is pure: what it reaches, transitively, is in
//     init/, lib/spec/ or lib/bootstrap/ (no ffi/, no other lib/);
//   - only lib/container, lib/features and lib/namespaces call into init/;
//     the rest of lib/ (cgroups, hooks, process, …) sits below the planners;
//   - nothing imports cli.ts;
//   - lib/ imports nothing of tests/;
//   - the containerd shim (shim.ts, shim/) is the library's user: it
//     reaches lib/ through mod.ts only (besides lib/lazy.ts, lib/version.ts
//     and lib/spec/types.ts), and nothing of lib/, ffi/ or init/ imports it.
//
// Permissions: --allow-read (the sources).

import { assert, assertEquals } from "../../lib/testing/assert.ts";

const ROOT = new URL("../../", import.meta.url);
const DIRS = ["lib", "ffi", "init", "tests", "examples", "bench", "packaging", "shim"];
const SKIP = new Set(["bench/results", "tests/fixtures/bundles"]);

/** An import of `to` (a path from the repository root) by `from`. */
export interface Edge {
  readonly from: string;
  readonly to: string;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(dir, ROOT))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory && !SKIP.has(path)) out.push(...sources(path));
    else if (e.isFile && e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** "a/b/../c.ts" from "a/b/x.ts" and "../c.ts", as a path from the root. */
function resolve(from: string, spec: string): string {
  return new URL(spec, new URL(from, ROOT)).href.slice(ROOT.href.length);
}

// Comments that start a line (JSDoc and // lines): their examples are not imports.
const COMMENT = /^\s*\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm;
const STATIC =
  /(?:^|[;\n])\s*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?"([^"]+)"/g;
const DYNAMIC = /(?<!typeof )\bimport\(\s*"([^"]+)"\s*\)/g;
const LAZY = /\bload<[\s\S]*?>\(\s*"([^"]+)"/g;

/** Every edge of one file; relative specifiers only (npm:, node: are not ours). */
export function edgesOf(file: string, text: string): Edge[] {
  const code = text.replace(COMMENT, "");
  const out: Edge[] = [];
  for (const re of [STATIC, DYNAMIC]) {
    for (const m of code.matchAll(re)) {
      if (m[1].startsWith(".")) out.push({ from: file, to: resolve(file, m[1]) });
    }
  }
  // load()'s path is from the code root (lib/lazy.ts).
  for (const m of code.matchAll(LAZY)) out.push({ from: file, to: m[1] });
  return out;
}

function graph(): Edge[] {
  const files = ["cli.ts", "mod.ts", "shim.ts", ...DIRS.flatMap(sources)];
  return files.flatMap((f) => edgesOf(f, Deno.readTextFileSync(new URL(f, ROOT))));
}

const under = (dir: string) => (path: string) => path.startsWith(`${dir}/`);
const isTest = (path: string) => path.endsWith("_test.ts");
const PURE_BASE = ["init", "lib/spec", "lib/bootstrap"].map(under);
const isShim = (path: string) => path === "shim.ts" || under("shim")(path);
const SHIM_MAY_USE = new Set(["lib/lazy.ts", "lib/version.ts", "lib/spec/types.ts"]);
const CALLS_PLANNERS = ["lib/container", "lib/features", "lib/namespaces"].map(under);

/**
 * The edges by which the planners leave the pure base, each once, with the
 * shortest chain of imports from a planner to it: breadth first through
 * non-test init/, lib/spec/ and lib/bootstrap/ files only.
 */
function impureChains(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (!isTest(e.from)) next.set(e.from, [...next.get(e.from) ?? [], e.to]);
  const starts = [...next.keys()].filter(under("init"));
  const seen = new Map<string, string[]>(starts.map((s) => [s, [s]]));
  const chains = new Map<string, string[]>();
  for (let i = 0, todo = [...starts]; i < todo.length; i++) {
    const at = todo[i];
    for (const to of next.get(at) ?? []) {
      const chain = [...seen.get(at)!, to];
      if (!PURE_BASE.some((p) => p(to))) {
        if (!chains.has(`${at} ${to}`)) chains.set(`${at} ${to}`, chain);
      } else if (!seen.has(to)) {
        seen.set(to, chain);
        todo.push(to);
      }
    }
  }
  return [...chains.values()];
}

/** One message per edge (or chain) that points the wrong way. */
export function violations(edges: readonly Edge[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    const edge = `${from} imports ${to}`;
    if (to === "cli.ts") out.push(`${edge}: nothing imports the CLI`);
    if (under("ffi")(from) && !under("ffi")(to)) out.push(`${edge}: ffi/ imports only ffi/`);
    if (under("lib")(from) && under("tests")(to)) out.push(`${edge}: lib/ imports no tests/`);
    if (isShim(from) && !isTest(from) && under("lib")(to) && !SHIM_MAY_USE.has(to)) {
      out.push(`${edge}: the shim reaches lib/ through mod.ts`);
    }
    if (isShim(to) && ["lib", "ffi", "init"].some((d) => under(d)(from))) {
      out.push(`${edge}: nothing below the shim imports it`);
    }
    if (
      under("lib")(from) && !isTest(from) && under("init")(to) &&
      !CALLS_PLANNERS.some((p) => p(from))
    ) {
      out.push(`${edge}: only lib/container, lib/features and lib/namespaces call the planners`);
    }
  }
  for (const chain of impureChains(edges)) {
    out.push(`${chain.join(" → ")}: init/ reaches only init/, lib/spec/ and lib/bootstrap/`);
  }
  return out;
}

Deno.test("the import graph points only the allowed ways", () => {
  assertEquals(violations(graph()), []);
});

Deno.test("the graph walker sees static, dynamic and load() imports", () => {
  const edges = graph();
  const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
  assert(edges.length > 500, `only ${edges.length} edges: has the import syntax changed?`);
  assert(has("lib/container/create.ts", "init/standard_init.ts"), "a static import");
  assert(has("lib/container/create.ts", "lib/seccomp/compile.ts"), "a load() specifier");
  assert(has("lib/lazy.ts", "ffi/code_root.ts"), "an import across folders");
  assert(has("init/standard_init.ts", "lib/bootstrap/plan.ts"), "an import type");
});

Deno.test("violations() names each wrong direction", () => {
  const wrong: Edge[] = [
    { from: "ffi/libdir.ts", to: "lib/lazy.ts" },
    { from: "lib/commands/run.ts", to: "cli.ts" },
    { from: "lib/process/spawn.ts", to: "tests/fixtures/runo.ts" },
    { from: "lib/cgroups/layout.ts", to: "init/mounts.ts" },
    { from: "init/standard_init.ts", to: "lib/hooks/plan.ts" },
    { from: "init/mounts.ts", to: "lib/spec/types.ts" },
    { from: "lib/spec/types.ts", to: "ffi/syscalls.ts" },
    { from: "shim/task/service.ts", to: "lib/container/create.ts" },
    { from: "lib/runtime/runtime.ts", to: "shim/errors.ts" },
  ];
  const found = violations(wrong);
  for (
    const want of [
      "ffi/libdir.ts imports lib/lazy.ts: ffi/ imports only ffi/",
      "lib/commands/run.ts imports cli.ts: nothing imports the CLI",
      "lib/process/spawn.ts imports tests/fixtures/runo.ts: lib/ imports no tests/",
      "lib/cgroups/layout.ts imports init/mounts.ts: only lib/container",
      "init/standard_init.ts → lib/hooks/plan.ts: init/ reaches only",
      "init/mounts.ts → lib/spec/types.ts → ffi/syscalls.ts: init/ reaches only",
      "shim/task/service.ts imports lib/container/create.ts: the shim reaches lib/ through mod.ts",
      "lib/runtime/runtime.ts imports shim/errors.ts: nothing below the shim imports it",
    ]
  ) {
    assert(found.some((v) => v.startsWith(want)), `missing: ${want}\nfound: ${found.join("\n")}`);
  }
  // The allowed ways stay allowed.
  assertEquals(
    violations([
      { from: "lib/container/create.ts", to: "init/standard_init.ts" },
      { from: "init/mounts.ts", to: "lib/bootstrap/ids.ts" },
      { from: "init/mounts_test.ts", to: "lib/testing/assert.ts" },
      { from: "lib/lazy.ts", to: "ffi/code_root.ts" },
      { from: "tests/unit/x_test.ts", to: "lib/lazy.ts" },
      { from: "shim/task/options.ts", to: "mod.ts" },
      { from: "shim/server.ts", to: "ffi/reaper.ts" },
      { from: "tests/e2e/shim_test.ts", to: "shim/address.ts" },
    ]),
    [],
  );
});
