/**
 * Loads a module only when it is needed, and says where runo's code lives.
 *
 * Deno reads, parses and links every *literal* `import("./x.ts")` of a
 * program's graph when it starts, lazy or not: with literal specifiers, the
 * CLI's `--version` loaded all ~140 modules of every command (~12 ms). A
 * specifier built at run time is left alone until the call.
 *
 * Paths are relative to the code root (the directory of cli.ts), so that
 * the same call works from the sources and from the bundle `make build`
 * writes to build/bundle (cli.js beside lib/…/x.js and shared chunks,
 * where a module's own import.meta.url may be a chunk's).
 * `deno compile` must `--include` these modules (packaging/lazy_modules.sh).
 */

/** True when running from build/bundle (this module is then inside a .js chunk). */
export const BUNDLED = import.meta.url.endsWith(".js");

/** The directory of cli.ts (sources) or cli.js (bundle), as a URL ending in "/". */
export function codeRoot(): URL {
  // The bundle's modules sit at any depth, but its entry is always cli.js
  // at its root. Library callers import sources, never the bundle.
  return BUNDLED ? new URL("./", Deno.mainModule) : new URL("../", import.meta.url);
}

/**
 * `load<typeof import("../x/y.ts")>("lib/x/y.ts")`: the type argument is
 * type-only and costs nothing; the path is from the code root.
 */
export function load<M>(pathFromRoot: string): Promise<M> {
  const path = BUNDLED ? pathFromRoot.replace(/\.ts$/, ".js") : pathFromRoot;
  return import(new URL(path, codeRoot()).href);
}
