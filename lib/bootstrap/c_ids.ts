// The block of c/ids.h that mirrors ids.ts, as text: every number, and per
// operation the mask of fields it needs and of fields it may have, as an
// X-macro the C decoder expands into its schema table. `deno task gen-ids`
// (packaging/gen_ids.ts) writes it into c/ids.h;
// tests/unit/ids_drift_test.ts fails when the two differ. It also carries
// ffi/errno.ts's strerror texts, so that the init's messages do not depend
// on its libc (musl words them otherwise), and the signal names.
//
// Permissions: none.

import {
  Attr,
  Field,
  type FieldKey,
  FIELDS,
  INIT_MSG,
  LogLevel,
  MAX_BOOTSTRAP,
  MAX_MOUNT_SLOTS,
  MountOpt,
  type Need,
  OPS,
} from "./ids.ts";
import { ERRNOS } from "../../ffi/errno.ts";
import { SIGNALS } from "../process/signals.ts";

export const BEGIN = "/* BEGIN GENERATED from lib/bootstrap/ids.ts by `deno task gen-ids` */";
export const END = "/* END GENERATED */";

const FIELD_NAME = new Map<number, string>(Object.entries(Field).map(([n, id]) => [id, n]));

function defines(prefix: string, table: Readonly<Record<string, number>>): string[] {
  return Object.entries(table).map(([name, v]) => `#define RUNO_${prefix}_${name} ${v}`);
}

/** "RUNO_F(TARGET) | RUNO_F(FLAGS)", or "0". */
function mask(keys: readonly FieldKey[]): string {
  const ids = keys.map((k) => FIELDS[k].id).sort((a, b) => a - b);
  return ids.length === 0 ? "0" : ids.map((id) => `RUNO_F(${FIELD_NAME.get(id)})`).join(" | ");
}

function opLines(): string[] {
  const lines = Object.entries(OPS).map(([name, op]) => {
    const fields = Object.entries(op.fields) as [FieldKey, Need][];
    // A list may be empty, and an empty list sends no attribute.
    const needed = fields.filter(([k, n]) => n === "req" && FIELDS[k].wire !== "strs");
    const rest = fields.filter(([k]) => !needed.some(([n]) => n === k));
    return `\tX(${name}, ${mask(needed.map(([k]) => k))}, ${mask(rest.map(([k]) => k))})`;
  });
  return continued(lines);
}

/** The lines of a multi-line macro: a backslash ends each but the last. */
function continued(lines: readonly string[]): string[] {
  return lines.map((l, i) => i < lines.length - 1 ? `${l} \\` : l);
}

/** X(number, text) for every errno in ffi/errno.ts, one per line. */
function errnoLines(): string[] {
  return continued(
    Object.entries(ERRNOS).map(([n, [, text]]) => `\tX(${n}, ${JSON.stringify(text)})`),
  );
}

/** X(number, name) for every signal in lib/process/signals.ts (a number's first name). */
function signalLines(): string[] {
  const first = new Map<number, string>();
  for (const [name, n] of Object.entries(SIGNALS)) if (!first.has(n)) first.set(n, name);
  return continued([...first].map(([n, name]) => `\tX(${n}, "${name}")`));
}

/** The generated block of c/ids.h, markers included. */
export function cIdsBlock(): string {
  const maxField = Math.max(...Object.values(Field));
  if (maxField > 63) throw new Error(`Field ${maxField} does not fit the 64-bit field masks`);
  const bits = Object.entries(MountOpt).map(([n, v]) =>
    `#define RUNO_MOUNTOPT_${n} (1 << ${Math.log2(v)})`
  );
  const levels = Object.entries(LogLevel).map(([n, v]) =>
    `#define RUNO_LOGLEVEL_${n.toUpperCase()} ${v}`
  );
  return [
    BEGIN,
    `#define RUNO_INIT_MSG ${INIT_MSG}`,
    "",
    ...defines("ATTR", Attr),
    "",
    ...defines("FIELD", Field),
    `#define RUNO_FIELD_MAX ${maxField}`,
    "",
    ...defines("OP", Object.fromEntries(Object.entries(OPS).map(([n, op]) => [n, op.code]))),
    "",
    "/* Bit of field RUNO_FIELD_<name> in a field mask (struct runo_op.has). */",
    "#define RUNO_F(name) (1ull << RUNO_FIELD_##name)",
    "/* X(name, fields it needs, other fields it may have) for every op; CODE",
    " * is implied. ARG and ENV are never needed: an empty list sends none. */",
    "#define RUNO_OPS(X) \\",
    ...opLines(),
    "/* X(name) for every field, in number order from CODE. */",
    `#define RUNO_FIELDS(X) ${Object.keys(Field).map((n) => `X(${n})`).join(" ")}`,
    "",
    ...bits,
    "",
    ...levels,
    "",
    `#define RUNO_MAX_BOOTSTRAP (1 << ${Math.log2(MAX_BOOTSTRAP)})`,
    `#define RUNO_MAX_MOUNT_SLOTS ${MAX_MOUNT_SLOTS}`,
    "",
    "/* X(errno, its strerror text) for every errno in ffi/errno.ts. */",
    "#define RUNO_ERRNO_TEXTS(X) \\",
    ...errnoLines(),
    "",
    "/* X(signal, its name) for every signal in lib/process/signals.ts. */",
    "#define RUNO_SIGNAL_NAMES(X) \\",
    ...signalLines(),
    END,
  ].join("\n");
}
