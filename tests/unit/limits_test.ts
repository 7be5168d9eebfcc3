// The size limits of the house style, kept by a test: no function over 80
// lines in lib/, init/, ffi/, shim/ or the C init (nsexec.c, c/), no TypeScript
// file over 400 lines and no C file over 600. A file or function over its
// limit fails unless OVER lists it; an OVER entry that fits again fails
// too, so the list only shrinks. The entries left are printed.
//
// Permissions: --allow-read (the sources).

import { assertEquals } from "../../lib/testing/assert.ts";
import { cFunctions, tsFunctions } from "./_sizes.ts";

const ROOT = new URL("../../", import.meta.url);
const FUNCTION_MAX = 80;
const TS_FILE_MAX = 400;
const C_FILE_MAX = 600;
/** Where the function limit applies. */
const FUNCTION_DIRS = ["lib", "init", "ffi", "shim", "c"];
const SKIP = new Set(["build", "bench/results", "tests/fixtures/bundles", ".git"]);

/**
 * What is over its limit today, to be split along its concepts:
 * "path" for a file, "path#function" for a function.
 */
const OVER = new Set<string>([]);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(dir || ".", ROOT))) {
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (SKIP.has(path)) continue;
    if (e.isDirectory) out.push(...files(path));
    else if (e.isFile && /\.(ts|c|h)$/.test(e.name)) out.push(path);
  }
  return out;
}

/** Every file and function over its limit: key → its size in lines. */
function overLimits(): Map<string, number> {
  const over = new Map<string, number>();
  for (const path of files("")) {
    const text = Deno.readTextFileSync(new URL(path, ROOT));
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    const isC = !path.endsWith(".ts");
    if (lines > (isC ? C_FILE_MAX : TS_FILE_MAX)) over.set(path, lines);
    const top = path.includes("/") ? path.slice(0, path.indexOf("/")) : path;
    if (!FUNCTION_DIRS.includes(top) && path !== "nsexec.c") continue;
    if (path.endsWith("_test.ts")) continue;
    const fns = isC ? cFunctions(text) : tsFunctions(path, text);
    for (const f of fns) if (f.lines > FUNCTION_MAX) over.set(`${path}#${f.name}`, f.lines);
  }
  return over;
}

Deno.test("no function over 80 lines, no TypeScript file over 400, no C file over 600", () => {
  const over = overLimits();
  const listed = [...OVER].filter((k) => over.has(k));
  if (listed.length > 0) {
    console.log(
      `still over the limits (tests/unit/limits_test.ts OVER):\n` +
        listed.map((k) => `  ${k}: ${over.get(k)} lines`).join("\n"),
    );
  }
  const unlisted = [...over.keys()].filter((k) => !OVER.has(k))
    .map((k) => `${k}: ${over.get(k)} lines`);
  assertEquals(unlisted, [], "over the limit: split it along its concepts");
  const fits = [...OVER].filter((k) => !over.has(k));
  assertEquals(fits, [], "listed in OVER but within the limit (or gone): remove it from OVER");
});

Deno.test("tsFunctions() names functions, methods and callbacks and counts their lines", () => {
  const text = [
    "export function a() {", //  1
    "  return [1].map((x) => {", // 2
    "    return x;", //              3
    "  });", //                      4
    "}", //                          5
    "class C {", //                  6
    "  m() {}", //                   7
    "}", //                          8
    "const o = { run: () => 1 };", // 9
  ].join("\n");
  assertEquals(
    tsFunctions("x.ts", text).map((f) => [f.name, f.line, f.lines]),
    [["a", 1, 5], ["a.([1].map callback)", 2, 3], ["C.m", 7, 1], ["o.run", 9, 1]],
  );
});

Deno.test("cFunctions() finds definitions, not structs, strings, comments or macros", () => {
  const text = [
    "#define X(a) { a; }", //               1
    "struct s { int a; };", //              2
    "static const int t[] = { 1, 2 };", //  3
    "/* f(void) { */", //                   4
    "static int", //                        5
    "f(int a)", //                          6
    "{", //                                 7
    '\tconst char *s = "}{";', //           8
    "\tif (a) { return '}'; }", //          9
    "\treturn 0;", //                       10
    "}", //                                 11
    "void g(void) { }", //                  12
  ].join("\n");
  assertEquals(cFunctions(text).map((f) => [f.name, f.line, f.lines]), [["f", 6, 6], [
    "g",
    12,
    1,
  ]]);
});
