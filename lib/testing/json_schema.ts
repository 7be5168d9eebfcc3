// A JSON Schema (draft-04) validator for the subset the OCI runtime spec's
// features schema uses: type, properties, required, items, enum, pattern,
// patternProperties, additionalProperties and $ref across files
// ("defs.json#/definitions/x"). A keyword outside the subset is an error,
// so a schema change cannot be ignored silently. Used by tests only.
//
// Permissions: none (files come through the loader).

export type Loader = (file: string) => unknown;

const IGNORED = new Set(["description", "$schema", "id", "title", "default"]);
const KNOWN = new Set([
  "type",
  "properties",
  "required",
  "items",
  "enum",
  "pattern",
  "patternProperties",
  "additionalProperties",
  "$ref",
]);

interface Ctx {
  readonly load: Loader;
  readonly errors: string[];
}

/** Validates `value` against `file` (e.g. "features-schema.json"); returns the problems. */
export function validate(value: unknown, file: string, load: Loader): string[] {
  const ctx: Ctx = { load, errors: [] };
  check(ctx, value, load(file) as Schema, file, "");
  return ctx.errors;
}

type Schema = Record<string, unknown>;

function resolve(ctx: Ctx, ref: string, file: string): [Schema, string] {
  const [path, fragment = ""] = ref.split("#");
  const target = path === "" ? file : path;
  let node: unknown = ctx.load(target);
  for (const part of fragment.split("/").filter((p) => p !== "")) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/")];
  }
  if (node === undefined || node === null) throw new Error(`Cannot resolve $ref ${ref} in ${file}`);
  return [node as Schema, target];
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(want: unknown, v: unknown): boolean {
  const types = Array.isArray(want) ? want : [want];
  const t = typeOf(v);
  return types.some((w) => w === t || (w === "number" && t === "integer"));
}

function check(ctx: Ctx, v: unknown, s: Schema, file: string, at: string): void {
  for (const k of Object.keys(s)) {
    if (!KNOWN.has(k) && !IGNORED.has(k)) {
      throw new Error(`Unsupported schema keyword "${k}" at ${file} (value ${at || "/"})`);
    }
  }
  if (typeof s.$ref === "string") {
    const [target, targetFile] = resolve(ctx, s.$ref, file);
    check(ctx, v, target, targetFile, at);
  }
  const fail = (msg: string) => ctx.errors.push(`${at || "/"}: ${msg}`);
  if (s.type !== undefined && !typeMatches(s.type, v)) {
    return void fail(`expected ${JSON.stringify(s.type)}, got ${typeOf(v)}`);
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    fail(`${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
  }
  if (
    typeof s.pattern === "string" && typeof v === "string" && !new RegExp(s.pattern, "u").test(v)
  ) {
    fail(`${JSON.stringify(v)} does not match ${s.pattern}`);
  }
  if (Array.isArray(v) && s.items !== undefined) {
    v.forEach((item, i) => check(ctx, item, s.items as Schema, file, `${at}/${i}`));
  }
  if (typeOf(v) === "object") checkObject(ctx, v as Record<string, unknown>, s, file, at, fail);
}

function checkObject(
  ctx: Ctx,
  v: Record<string, unknown>,
  s: Schema,
  file: string,
  at: string,
  fail: (msg: string) => void,
): void {
  for (const r of (s.required as string[] | undefined) ?? []) {
    if (!Object.hasOwn(v, r)) fail(`missing required property "${r}"`);
  }
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>);
  for (const [k, val] of Object.entries(v)) {
    const where = `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    let matched = false;
    if (Object.hasOwn(props, k)) {
      matched = true;
      check(ctx, val, props[k], file, where);
    }
    for (const [re, sub] of patterns) {
      if (new RegExp(re, "u").test(k)) {
        matched = true;
        check(ctx, val, sub, file, where);
      }
    }
    if (!matched && s.additionalProperties === false) fail(`unexpected property "${k}"`);
    if (!matched && typeof s.additionalProperties === "object") {
      check(ctx, val, s.additionalProperties as Schema, file, where);
    }
  }
}
