/**
 * Loads a module only when it is needed.
 *
 * Deno reads, parses and links every *literal* `import("./x.ts")` of a
 * program's graph when it starts, lazy or not: with literal specifiers, the
 * CLI's `--version` loaded all ~140 modules of every command (~12 ms). A
 * specifier built at run time is left alone until the call. The type
 * argument (`typeof import("./x.ts")`) is type-only and costs nothing.
 * `deno compile` must `--include` these modules (packaging/compile.sh).
 */
export function load<M>(path: string, base: string): Promise<M> {
  return import(new URL(path, base).href);
}
