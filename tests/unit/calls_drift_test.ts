// c/calls.h mirrors ffi/calls.ts in one marked block; this fails when the
// two drift apart (a name missing on either side, or a different number),
// when a number is used twice, and when the argument slots disagree: each
// wrapper in ffi/libnsexec.ts must put its parameters into the slots of
// runo_call that c/call.c hands to the C function, in the C function's
// order, pointers in a..d and integers in x..w as c/libnsexec.h declares.
//
// Permissions: --allow-read (c/calls.h, c/call.c, c/libnsexec.h,
// ffi/libnsexec.ts).

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

const read = (path: string) => Deno.readTextFileSync(new URL(`../../${path}`, import.meta.url));
const SLOTS = ["a", "b", "c", "d", "x", "y", "z", "w"];
const isPointerSlot = (slot: string) => "abcd".includes(slot);

interface Wrapper {
  readonly name: string;
  readonly fn: string;
  readonly params: readonly { readonly name: string; readonly pointer: boolean }[];
  /** What the wrapper passes in each slot a..w (w defaults to 0). */
  readonly slots: readonly string[];
}

/** The wrappers of ffi/libnsexec.ts: `runo_x: (p: T, ...) => call(Fn.X, a, ..., z)`. */
function wrappers(): Wrapper[] {
  const text = read("ffi/libnsexec.ts");
  const re = /^ {2}(runo_\w+): \(([^)]*)\) =>\s*call(?:Async)?\(Fn\.(\w+), ([^)]*)\),$/gm;
  return [...text.matchAll(re)].map((m) => {
    const params = m[2].split(",").map((p) => p.trim()).filter((p) => p !== "").map((p) => {
      const [name, type] = p.split(":").map((x) => x.trim());
      return { name, pointer: type === "Ptr" };
    });
    const slots = m[4].split(",").map((a) => a.trim());
    return { name: m[1], fn: m[3], params, slots: slots.length === 7 ? [...slots, "0"] : slots };
  });
}

/** c/call.c: each case's C function and the slots it passes, in order. */
function dispatch(): Map<string, { fn: string; slots: string[] }> {
  const text = read("c/call.c");
  const out = new Map<string, { fn: string; slots: string[] }>();
  for (
    const m of text.matchAll(/case RUNO_FN_(\w+):\s*return (runo_\w+)\(([^)]*(?:\)[^;]*)?)\);/g)
  ) {
    const args = m[3].split(",").map((a) => a.trim()).filter((a) => a !== "");
    // A slot is named as the group functions read it: `(int)p->x` is x.
    const slot = (a: string) => a.replace(/^\([^)]*\)\s*/, "").replace(/^p->/, "");
    out.set(m[1], { fn: m[2], slots: args.map(slot) });
  }
  return out;
}

/** c/libnsexec.h: whether each parameter of each function is a pointer. */
function prototypes(): Map<string, boolean[]> {
  const text = read("c/libnsexec.h").replace(/\/\*[\s\S]*?\*\//g, "");
  const out = new Map<string, boolean[]>();
  for (const m of text.matchAll(/^[\w ]+?\**\s*\b(runo_\w+)\(([^)]*)\);/gm)) {
    const params = m[2].split(",").map((p) => p.trim()).filter((p) => p !== "" && p !== "void");
    out.set(m[1], params.map((p) => p.includes("*")));
  }
  return out;
}

Deno.test("ffi/libnsexec.ts, c/call.c and c/libnsexec.h agree on every runo_call slot", () => {
  const cases = dispatch(), protos = prototypes(), list = wrappers();
  assertEquals(new Set(list.map((w) => w.fn)), new Set(Object.keys(Fn)), "a wrapper per number");
  for (const w of list) {
    const where = `${w.name} (Fn.${w.fn})`;
    const c = cases.get(w.fn);
    if (!c) throw new Error(`${where}: no case in c/call.c`);
    assertEquals(c.fn, w.name.replace(/_async$/, ""), `${where}: c/call.c calls another function`);
    const proto = protos.get(c.fn);
    if (!proto) throw new Error(`${where}: ${c.fn} is not declared in c/libnsexec.h`);
    assertEquals(c.slots.length, proto.length, `${where}: c/call.c passes a wrong number of slots`);
    assertEquals(w.params.length, proto.length, `${where}: parameters against c/libnsexec.h`);
    c.slots.forEach((slot, i) => {
      assertEquals(isPointerSlot(slot), proto[i], `${where}: parameter ${i} in slot ${slot}`);
      assertEquals(w.params[i].pointer, proto[i], `${where}: ${w.params[i].name} is (not) a Ptr`);
      assertEquals(w.slots[SLOTS.indexOf(slot)], w.params[i].name, `${where}: slot ${slot}`);
    });
    SLOTS.forEach((slot, i) => {
      if (c.slots.includes(slot)) return;
      assertEquals(w.slots[i], isPointerSlot(slot) ? "null" : "0", `${where}: unused slot ${slot}`);
    });
  }
});
