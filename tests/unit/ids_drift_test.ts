// c/ids.h mirrors lib/bootstrap/ids.ts in one marked block; this fails the
// build when the two drift apart (a name missing on either side, or a
// different number).
//
// Permissions: --allow-read (c/ids.h).

import { assertEquals } from "../../lib/testing/assert.ts";
import {
  Attr,
  Field,
  INIT_MSG,
  LogLevel,
  MAX_BOOTSTRAP,
  MountOpt,
  Op,
} from "../../lib/bootstrap/ids.ts";

function cDefines(): Map<string, number> {
  const text = Deno.readTextFileSync(new URL("../../c/ids.h", import.meta.url));
  const block = /BEGIN MIRROR lib\/bootstrap\/ids\.ts \*\/([\s\S]*?)\/\* END MIRROR/.exec(text);
  if (!block) throw new Error("c/ids.h has no BEGIN/END MIRROR block");
  const defines = new Map<string, number>();
  for (const m of block[1].matchAll(/^#define\s+(RUNO_\w+)\s+(.+)$/gm)) {
    const shift = /^\(?\s*(\d+)\s*<<\s*(\d+)\s*\)?$/.exec(m[2].trim());
    defines.set(m[1], shift ? Number(shift[1]) << Number(shift[2]) : Number(m[2]));
  }
  return defines;
}

function tsDefines(): Map<string, number> {
  const defines = new Map<string, number>([
    ["RUNO_INIT_MSG", INIT_MSG],
    ["RUNO_MAX_BOOTSTRAP", MAX_BOOTSTRAP],
  ]);
  const groups: [string, Record<string, number>][] = [
    ["ATTR", Attr],
    ["FIELD", Field],
    ["OP", Op],
    ["MOUNTOPT", MountOpt],
    [
      "LOGLEVEL",
      Object.fromEntries(Object.entries(LogLevel).map(([k, v]) => [k.toUpperCase(), v])),
    ],
  ];
  for (const [group, table] of groups) {
    for (const [name, value] of Object.entries(table)) defines.set(`RUNO_${group}_${name}`, value);
  }
  return defines;
}

Deno.test("c/ids.h mirrors lib/bootstrap/ids.ts exactly", () => {
  const c = cDefines();
  const ts = tsDefines();
  assertEquals([...c.keys()].sort(), [...ts.keys()].sort(), "the same names on both sides");
  for (const [name, value] of ts) assertEquals(c.get(name), value, name);
});
