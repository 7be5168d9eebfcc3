// What each command loads, read from the file `make build` bundles for it
// (build/bundle/cmd/<name>.js, packaging/bundle.sh; read unminified, from
// build/gen/unminified/cmd/<name>.js): the source modules it
// evaluates on its way, and those it holds for a lazy load(), evaluated
// only when that load runs. The rules: state, list, kill and delete
// evaluate no planner, no cgroup manager, no seccomp and no libseccomp
// binding; exec nothing only create needs; nothing of the
// rarely used features (seccomp, systemd, D-Bus, notify, LogTape) is
// evaluated unless a load() asks for it.
//
// runo's own packaging: nothing to compare with runc.
//
// Permissions: --allow-read (build/bundle).

import assert from "node:assert/strict";
import { isRunc, REPO_ROOT } from "../fixtures/runo.ts";

const CMD_DIR = `${REPO_ROOT}/build/gen/unminified/cmd`;

function built(): boolean {
  try {
    return Deno.statSync(`${CMD_DIR}/state.js`).isFile;
  } catch {
    return false;
  }
}

const ignore = isRunc() || !built();
if (!isRunc() && !built()) console.error(`[fixture] ignoring: needs ${CMD_DIR} (make build)`);

export interface BundleGraph {
  /** Every source module in the file, as a path from the code root. */
  readonly all: ReadonlySet<string>;
  /**
   * The modules evaluated when the file is imported and then `roots` (a
   * command's module, which cli.ts loads through an import()): everything
   * but what a lazy load() brings.
   */
  evaluated(roots: readonly string[]): Set<string>;
}

const MODULE = /^\/\/ build\/gen\/(\S+\.ts)$/gm;
const WRAPPED =
  /^var (init_\w+) = __esm\(\{\n {2}"build\/gen\/([^"]+)"\(\) \{\n([\s\S]*?)\n\}\);$/gm;
const TOP_INIT = /^(init_\w+)\(\);$/gm;
const BODY_INIT = /^ {4}(init_\w+)\(\);$/gm;

/**
 * The modules of one esbuild output: each starts at a `// path` comment;
 * a module shared with a lazy import() is wrapped in `__esm`, its static
 * imports the `init_x();` lines of its body, and it is evaluated only when
 * its init runs: from the top level or from an import().
 */
export function bundleGraph(text: string): BundleGraph {
  const all = new Set([...text.matchAll(MODULE)].map((m) => m[1]));
  const initOf = new Map<string, string>();
  const pathOf = new Map<string, string>();
  const deps = new Map<string, string[]>();
  for (const [, init, path, body] of text.matchAll(WRAPPED)) {
    initOf.set(path, init);
    pathOf.set(init, path);
    deps.set(init, [...body.matchAll(BODY_INIT)].map((m) => m[1]));
  }
  const unwrapped = [...all].filter((p) => !initOf.has(p));
  const top = [...text.matchAll(TOP_INIT)].map((m) => m[1]);
  return {
    all,
    evaluated(roots) {
      const out = new Set(unwrapped);
      const todo = [...top, ...roots.map((r) => initOf.get(r) ?? "")];
      const seen = new Set<string>();
      while (todo.length) {
        const init = todo.pop()!;
        if (seen.has(init)) continue;
        seen.add(init);
        const path = pathOf.get(init);
        if (path) out.add(path);
        todo.push(...deps.get(init) ?? []);
      }
      return out;
    },
  };
}

function graphOf(command: string): BundleGraph {
  return bundleGraph(Deno.readTextFileSync(`${CMD_DIR}/${command}.js`));
}

/** What `runo <command>` evaluates on its way, lazy loads aside. */
function evaluatedBy(command: string): Set<string> {
  return graphOf(command).evaluated([`lib/commands/${command}.ts`]);
}

function offending(paths: ReadonlySet<string>, prefixes: readonly string[]): string[] {
  return [...paths].filter((p) => prefixes.some((x) => p === x || p.startsWith(x))).sort();
}

const PLANNERS = ["init/"];
const CREATE_ONLY = [
  "init/standard_init.ts",
  "init/mounts.ts",
  "init/devices.ts",
  "lib/spec/load.ts",
  "lib/spec/validate.ts",
  "lib/rootless/setup.ts",
  "lib/cgroups/container.ts",
  "lib/cgroups/v1/",
  "lib/cgroups/v2/",
  "lib/hooks/lifecycle.ts",
  "lib/namespaces/idmap_trees.ts",
];
const MANAGERS = ["lib/cgroups/v1/", "lib/cgroups/v2/", "lib/cgroups/systemd/", "lib/dbus/"];
const RARE = [
  "lib/seccomp/compile.ts",
  "ffi/libseccomp.ts",
  "lib/cgroups/systemd/",
  "lib/dbus/",
  "lib/notify/socket.ts",
  "lib/log/sink.ts",
];

Deno.test({
  name: "state, list, kill and delete evaluate no planner, cgroup manager or seccomp",
  ignore,
  fn() {
    for (const command of ["state", "list", "kill", "delete"]) {
      const evaluated = evaluatedBy(command);
      assert.ok(evaluated.has(`lib/commands/${command}.ts`), command);
      assert.deepEqual(offending(evaluated, [...PLANNERS, ...MANAGERS, ...RARE]), [], command);
    }
  },
});

Deno.test({
  name: "exec evaluates nothing only create needs (the standard init, config validation, cgroups)",
  ignore,
  fn() {
    assert.deepEqual(offending(evaluatedBy("exec"), CREATE_ONLY), []);
    assert.ok(evaluatedBy("create").has("init/standard_init.ts"), "positive control");
  },
});

Deno.test({
  name: "no command evaluates a rarely used feature on its way (a lazy load brings it)",
  ignore,
  fn() {
    for (const e of Deno.readDirSync(CMD_DIR)) {
      const command = e.name.replace(/\.js$/, "");
      assert.deepEqual(offending(evaluatedBy(command), RARE), [], e.name);
    }
  },
});

Deno.test({
  name: "bundleGraph() tells eager modules from lazy ones (positive control: run)",
  ignore,
  fn() {
    const run = graphOf("run");
    const evaluated = evaluatedBy("run");
    assert.ok(evaluated.has("init/standard_init.ts"), "run evaluates the planner");
    assert.ok(run.all.has("lib/seccomp/compile.ts"), "and holds the seccomp compiler");
    assert.ok(!evaluated.has("lib/seccomp/compile.ts"), "for a profile only");
    assert.ok(run.evaluated([]).has("lib/log/trace.ts"), "cli.ts's first import is eager");
    assert.ok(!run.evaluated([]).has("init/standard_init.ts"), "the command is not");
    const state = graphOf("state");
    assert.ok(!state.all.has("init/standard_init.ts"), "state holds no planner at all");
    assert.ok(state.all.has("lib/container/query.ts"));
  },
});
