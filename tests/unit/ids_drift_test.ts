// c/ids.h carries a block generated from lib/bootstrap/ids.ts (`deno task
// gen-ids`); this fails when the two drift apart: the block is not what the
// generator writes now, a name is missing on either side, or a number
// differs.
//
// Permissions: --allow-read (c/ids.h).

import { assertEquals } from "../../lib/testing/assert.ts";
import { BEGIN, cIdsBlock, END } from "../../lib/bootstrap/c_ids.ts";
import {
  Attr,
  Field,
  FIELDS,
  INIT_MSG,
  LogLevel,
  MAX_BOOTSTRAP,
  MAX_MOUNT_SLOTS,
  MountOpt,
  Op,
  OPS,
} from "../../lib/bootstrap/ids.ts";

const header = Deno.readTextFileSync(new URL("../../c/ids.h", import.meta.url));

function generatedBlock(): string {
  const from = header.indexOf(BEGIN), to = header.indexOf(END);
  if (from < 0 || to < from) throw new Error("c/ids.h has no BEGIN/END GENERATED block");
  return header.slice(from, to + END.length);
}

function cDefines(): Map<string, number> {
  const defines = new Map<string, number>();
  for (const m of generatedBlock().matchAll(/^#define\s+(RUNO_\w+)\s+(.+)$/gm)) {
    const shift = /^\(?\s*(\d+)\s*<<\s*(\d+)\s*\)?$/.exec(m[2].trim());
    defines.set(m[1], shift ? Number(shift[1]) << Number(shift[2]) : Number(m[2]));
  }
  return defines;
}

function tsDefines(): Map<string, number> {
  const defines = new Map<string, number>([
    ["RUNO_INIT_MSG", INIT_MSG],
    ["RUNO_MAX_BOOTSTRAP", MAX_BOOTSTRAP],
    ["RUNO_MAX_MOUNT_SLOTS", MAX_MOUNT_SLOTS],
    ["RUNO_FIELD_MAX", Math.max(...Object.values(Field))],
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

Deno.test("c/ids.h holds what `deno task gen-ids` writes from lib/bootstrap/ids.ts", () => {
  assertEquals(generatedBlock(), cIdsBlock(), "stale c/ids.h: run `deno task gen-ids`");
});

Deno.test("every op has a distinct code and only fields FIELDS defines", () => {
  const codes = Object.values(OPS).map((op) => op.code);
  assertEquals(new Set(codes).size, codes.length);
  for (const [name, op] of Object.entries(OPS)) {
    for (const key of Object.keys(op.fields)) assertEquals(Object.hasOwn(FIELDS, key), true, name);
  }
  const ids = Object.values(FIELDS).map((f) => f.id);
  assertEquals(new Set(ids).size, ids.length, "one key per field number");
  assertEquals(ids.length, Object.keys(Field).length - 1, "every Field but CODE has a key");
});
