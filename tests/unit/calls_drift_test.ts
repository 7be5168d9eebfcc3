// c/calls.h mirrors ffi/calls.ts in one marked block; this fails when the
// two drift apart (a name missing on either side, or a different number),
// and when a number is used twice.
//
// Permissions: --allow-read (c/calls.h).

import { assertEquals } from "../../lib/testing/assert.ts";
import { Fn } from "../../ffi/calls.ts";

function cDefines(): Map<string, number> {
  const text = Deno.readTextFileSync(new URL("../../c/calls.h", import.meta.url));
  const block = /BEGIN MIRROR ffi\/calls\.ts \*\/([\s\S]*?)\/\* END MIRROR/.exec(text);
  if (!block) throw new Error("c/calls.h has no BEGIN/END MIRROR block");
  const defines = new Map<string, number>();
  for (const m of block[1].matchAll(/^#define\s+RUNO_FN_(\w+)\s+(\d+)$/gm)) {
    defines.set(m[1], Number(m[2]));
  }
  return defines;
}

Deno.test("c/calls.h mirrors ffi/calls.ts exactly", () => {
  const c = cDefines();
  assertEquals([...c.keys()].sort(), Object.keys(Fn).sort(), "the same names on both sides");
  for (const [name, value] of Object.entries(Fn)) assertEquals(c.get(name), value, name);
});

Deno.test("every runo_call number is used once", () => {
  const values = Object.values(Fn);
  assertEquals(new Set(values).size, values.length);
});

Deno.test("c/call.c dispatches every number of c/calls.h", () => {
  const text = Deno.readTextFileSync(new URL("../../c/call.c", import.meta.url));
  const cases = [...text.matchAll(/case RUNO_FN_(\w+):/g)].map((m) => m[1]).sort();
  assertEquals(cases, Object.keys(Fn).sort());
});
