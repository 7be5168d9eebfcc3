// bundle.sh's pre-pass over a copy of the sources: every lazy load of
// lib/lazy.ts becomes a literal import() of the same module, which the
// bundler then inlines into the importing file, evaluated only when the
// import() runs. So a bundle entry is one file holding all it may load,
// with one instance of each module (the log queue, the FFI handle), and
// nothing is read from disk after start-up. (In the sources a literal
// import() would make Deno read and link the module at start-up.)
//
//   load<typeof import("../x/y.ts")>("lib/x/y.ts") → import("../x/y.ts")
//
// A path built at run time (cli.ts's commands) stays a load(): the bundle
// would otherwise inline every module it could name.
//
// Usage: deno run --allow-read=DIR --allow-write=DIR packaging/inline_loads.ts DIR
//
// Permissions: --allow-read, --allow-write (DIR).

// load<T>("path") and load("path"), the type argument on one or more lines.
const LOAD = /(?<![.\w$])load(?:<[^>]*?(?:\([^)]*\))?[^>]*?>)?\(\s*"([^"]+)"\s*,?\s*\)/g;

/** The path from `file` to `target`, both from the code root, as "./x" or "../x". */
export function relativePath(file: string, target: string): string {
  const from = file.split("/").slice(0, -1);
  const to = target.split("/");
  let common = 0;
  while (common < from.length && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join("/");
  return up === 0 ? `./${rest}` : `${"../".repeat(up)}${rest}`;
}

/**
 * `text` of `file` (a path from the code root) with each load() made an
 * import(), except of the modules in `separate` (they stay files of their own).
 */
export function inlineLoads(
  file: string,
  text: string,
  separate: ReadonlySet<string> = new Set(),
): { text: string; count: number; rewritten: { path: string; rel: string }[] } {
  const rewritten: { path: string; rel: string }[] = [];
  const out = text.replace(LOAD, (all, path: string) => {
    if (separate.has(path)) return all;
    const rel = relativePath(file, path);
    rewritten.push({ path, rel });
    return `import("${rel}")`;
  });
  return { text: out, count: rewritten.length, rewritten };
}

function walk(dir: string, base = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(`${dir}/${base}`)) {
    const path = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...walk(dir, path));
    else if (e.isFile && e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

if (import.meta.main) {
  const [dir, ...kept] = Deno.args;
  if (!dir) throw new Error("usage: inline_loads.ts DIR [MODULE-KEPT-SEPARATE...]");
  const separate = new Set(kept);
  let total = 0;
  for (const file of walk(dir)) {
    if (file === "lib/lazy.ts") continue;
    const path = `${dir}/${file}`;
    const { text, count } = inlineLoads(file, Deno.readTextFileSync(path), separate);
    if (count > 0) Deno.writeTextFileSync(path, text);
    total += count;
  }
  // A pattern that stopped matching would silently bring back the split loads.
  if (total < 20) throw new Error(`inline_loads: only ${total} load() calls rewritten`);
}
