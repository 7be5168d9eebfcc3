// Every `load<typeof import("./rel.ts")>("root/path.ts")` (lib/lazy.ts)
// names one module twice: relative to its file for the type, from the code
// root for the import. A mismatch type-checks but fails at run time, only
// on the path that loads it; this finds it at once, and checks that every
// named module exists.
//
// Permissions: --allow-read (the sources).

import { assert, assertEquals } from "../../lib/testing/assert.ts";

const ROOT = new URL("../../", import.meta.url);
const LOAD = /\bload<\s*typeof import\("([^"]+)"\)\s*>\(\s*"([^"]+)"/g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(dir, ROOT))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...sources(path));
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) out.push(path);
  }
  return out;
}

Deno.test("every load() names the same module for its type and its import, and it exists", () => {
  let calls = 0;
  const files = ["cli.ts", "shim.ts", ...sources("lib"), ...sources("ffi"), ...sources("init")];
  for (const file of [...files, ...sources("shim")]) {
    if (file === "lib/lazy.ts") continue;
    const text = Deno.readTextFileSync(new URL(file, ROOT));
    for (const [, typePath, rootPath] of text.matchAll(LOAD)) {
      calls++;
      const fromType = new URL(typePath, new URL(file, ROOT)).href;
      assertEquals(new URL(rootPath, ROOT).href, fromType, `${file}: load("${rootPath}")`);
      assert(Deno.statSync(new URL(rootPath, ROOT)).isFile, `${file}: ${rootPath} is missing`);
    }
  }
  assert(calls >= 20, `only ${calls} load() calls found: has the pattern changed?`);
});

Deno.test("no literal dynamic import() in cli.ts, shim.ts, lib/, ffi/, init/ or shim/ outside tests", () => {
  const files = ["cli.ts", "shim.ts", ...sources("lib"), ...sources("ffi"), ...sources("init")];
  for (const file of [...files, ...sources("shim")]) {
    const text = Deno.readTextFileSync(new URL(file, ROOT))
      .replace(/typeof import\(/g, "") // type-only
      .replace(/^\s*(\/\/|\*).*$/gm, ""); // comments
    assert(!/\bimport\(\s*["'`]/.test(text), `${file} has a literal import(): use lib/lazy.ts`);
  }
});
