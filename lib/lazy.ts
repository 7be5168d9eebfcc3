/**
 * Loads a module only when it is needed.
 *
 * Deno reads, parses and links every *literal* `import("./x.ts")` of a
 * program's graph when it starts, lazy or not: with literal specifiers, the
 * CLI's `--version` loaded all ~140 modules of every command (~12 ms). A
 * specifier built at run time is left alone until the call.
 *
 * Paths are relative to the code root (the directory of cli.ts,
 * ffi/code_root.ts), so that the same call works from the sources and from
 * the bundle `make build` writes to build/bundle.
 * `deno compile` must `--include` these modules (packaging/lazy_modules.sh).
 */

import { BUNDLED, codeRoot } from "../ffi/code_root.ts";

/**
 * `load<typeof import("../x/y.ts")>("lib/x/y.ts")`: the type argument is
 * type-only and costs nothing; the path is from the code root.
 */
export function load<M>(pathFromRoot: string): Promise<M> {
  const path = BUNDLED ? pathFromRoot.replace(/\.ts$/, ".js") : pathFromRoot;
  return import(new URL(path, codeRoot()).href);
}
