// packaging/inline_loads.ts, the bundle's pre-pass: each load() of a fixed
// path becomes an import() of the same module, relative to the file.
//
// Permissions: --allow-read (the sources).

import { assert, assertEquals } from "../../lib/testing/assert.ts";
import { inlineLoads, relativePath } from "../../packaging/inline_loads.ts";

const ROOT = new URL("../../", import.meta.url);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(dir, ROOT))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...sources(path));
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) out.push(path);
  }
  return out;
}

Deno.test("relativePath() goes from a file's directory to the target", () => {
  assertEquals(relativePath("cli.ts", "lib/log/sink.ts"), "./lib/log/sink.ts");
  assertEquals(relativePath("lib/log/log.ts", "lib/log/sink.ts"), "./sink.ts");
  assertEquals(
    relativePath("lib/container/create.ts", "lib/seccomp/compile.ts"),
    "../seccomp/compile.ts",
  );
  assertEquals(relativePath("lib/cgroups/systemd/x.ts", "ffi/kernfs.ts"), "../../../ffi/kernfs.ts");
});

Deno.test("inlineLoads() rewrites one- and multi-line load()s, keeps the separate and run-time ones", () => {
  const text = [
    'const a = await load<typeof import("../x/y.ts")>("lib/x/y.ts");',
    "const b = await load<",
    '  typeof import("../x/z.ts")',
    '>("lib/x/z.ts");',
    'const c = await load<typeof import("./s.ts")>(',
    '  "lib/q/s.ts",',
    ");",
    'const d = await load<Alias>("lib/x/w.ts");',
    "const e = load(`lib/commands/${name}.ts`);",
    'const f = await load<typeof import("./k.ts")>("lib/q/k.ts");',
    'ctx.load("not/ours.ts");',
  ].join("\n");
  const { text: out, count } = inlineLoads("lib/q/m.ts", text, new Set(["lib/q/k.ts"]));
  assertEquals(count, 4);
  assertEquals(out.split("\n"), [
    'const a = await import("../x/y.ts");',
    'const b = await import("../x/z.ts");',
    'const c = await import("./s.ts");',
    'const d = await import("../x/w.ts");',
    "const e = load(`lib/commands/${name}.ts`);",
    'const f = await load<typeof import("./k.ts")>("lib/q/k.ts");',
    'ctx.load("not/ours.ts");',
  ]);
});

Deno.test("inlineLoads() leaves no load() of a fixed path in the sources, and names each's module", () => {
  let total = 0;
  const files = ["cli.ts", "shim.ts", "mod.ts", "lib", "ffi", "init", "shim"]
    .flatMap((f) => f.endsWith(".ts") ? [f] : sources(f));
  for (const file of files) {
    if (file === "lib/lazy.ts" || file.startsWith("lib/testing/")) continue;
    const text = Deno.readTextFileSync(new URL(file, ROOT));
    const { text: out, count, rewritten } = inlineLoads(file, text);
    total += count;
    assert(!/(?<![.\w$])load(<[\s\S]*?>)?\(\s*"/.test(out), `${file}: a load() was left`);
    for (const { path, rel } of rewritten) {
      const url = new URL(rel, new URL(file, ROOT));
      assertEquals(url.href, new URL(path, ROOT).href, `${file}: ${rel}`);
      assert(Deno.statSync(url).isFile, `${file}: ${rel} is missing`);
    }
  }
  assert(total >= 20, `only ${total} rewritten: has the pattern changed?`);
});
