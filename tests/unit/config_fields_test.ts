// The rule of issue 17, enforced: for every field of the runtime spec's
// config schema (config-schema.json and config-linux.json, read through
// their $refs), runo applies it, refuses it with a one-line error naming
// its JSON pointer, or warns where runc warns (lib/spec/warned_fields.ts,
// the one list). Each schema leaf gets two sample values below; the test
// sets each in turn on `runc spec`'s default config and compares what runo
// would do (tests/unit/_config_effects.ts: the real planners, on a cgroup
// v1 and a v2 host). A field whose values lead to the same actions, no
// refusal and no listed warning on some host is parsed and ignored: the
// test fails there. A schema field without samples fails too, so a new
// field of the spec cannot slip in unexamined.
//
// Permissions: --allow-read (the schema; --allow-env for RUNO_OCI_SCHEMA_DIR).

import { assert } from "../../lib/testing/assert.ts";
import { parseSpec } from "../../lib/spec/parse.ts";
import { ConfigError } from "../../lib/spec/config_error.ts";
import { WARNED_FIELDS } from "../../lib/spec/warned_fields.ts";
import { defaultConfig } from "../fixtures/bundle.ts";
import { ociSchema } from "../fixtures/oci_schema.ts";
import { type HostKind, observe } from "./_config_effects.ts";
import { CONTEXT, PLATFORM, TEMPLATES, VALIDATED, VALUES } from "./_config_samples.ts";

type Json = Record<string, unknown>;
// The samples are 1.3's fields: an older schema (Debian's 1.0.2+ has
// intelRdt.enableCMT, and none of 1.3's) is no schema for this walk.
const schema = ociSchema("config-schema.json", "defs-linux.json#/definitions/MemoryPolicyMode");
const DIR = schema.dir ? new URL(`file://${schema.dir}/`) : undefined;

/** Every property pointer of the schema, "*" for array items and map keys, with whether it is a leaf. */
function schemaFields(): Map<string, boolean> {
  const files = new Map<string, Json>();
  const load = (f: string) => {
    if (!files.has(f)) files.set(f, JSON.parse(Deno.readTextFileSync(new URL(f, DIR))));
    return files.get(f)!;
  };
  const out = new Map<string, boolean>();
  const walk = (node: Json, file: string, ptr: string, depth: number): boolean => {
    if (depth > 30) return false;
    let children = false;
    if (typeof node.$ref === "string") {
      const [path, frag = ""] = node.$ref.split("#");
      const f = path || file;
      let target: unknown = load(f);
      for (const p of frag.split("/").filter(Boolean)) target = (target as Json)[p];
      children = walk(target as Json, f, ptr, depth + 1) || children;
    }
    for (const k of ["anyOf", "oneOf", "allOf"]) {
      for (const s of (node[k] as Json[] | undefined) ?? []) {
        children = walk(s, file, ptr, depth + 1) || children;
      }
    }
    for (const [k, v] of Object.entries((node.properties as Record<string, Json>) ?? {})) {
      const p = `${ptr}/${k}`;
      if (PLATFORM[p]) {
        out.set(p, true);
        children = true;
        continue;
      }
      out.set(p, !walk(v, file, p, depth + 1));
      children = true;
    }
    const item = node.items ?? node.additionalProperties ??
      Object.values((node.patternProperties as Json) ?? {})[0];
    if (item && typeof item === "object") {
      children = walk(item as Json, file, `${ptr}/*`, depth + 1) || children;
    }
    return children;
  };
  walk(load("config-schema.json"), "config-schema.json", "", 0);
  return out;
}

const ABSENT = Symbol("absent");

/**
 * A copy of `config` with the value at pattern `ptr` set ("*": the
 * template item, put first in the array, or the template key). With
 * `prepend` false, "*" is the first item already there (a CONTEXT's).
 */
function put(config: Json, ptr: string, value: unknown, prepend = true): Json {
  const c = structuredClone(config);
  const parts = ptr.split("/").slice(1);
  let node: Json = c;
  let prefix = "";
  parts.forEach((part, i) => {
    prefix += `/${part}`;
    const last = i === parts.length - 1;
    if (part === "*") {
      const t = TEMPLATES[prefix];
      if (!t) throw new Error(`no template for ${prefix}`);
      if (Array.isArray(node)) {
        // The template goes first, ahead of what the default config has there.
        if (prepend || node.length === 0) (node as unknown[]).unshift(structuredClone(t.item));
        if (last) (node as unknown[])[0] = value;
        node = (node as unknown[])[0] as Json;
      } else {
        node[t.key!] ??= structuredClone(t.item);
        if (last) node[t.key!] = value;
        node = node[t.key!] as Json;
      }
      return;
    }
    if (last) {
      if (value === ABSENT) delete node[part];
      else node[part] = value;
      return;
    }
    node[part] ??= structuredClone(TEMPLATES[prefix]?.item ?? {});
    node = node[part] as Json;
  });
  return c;
}

type Outcome = { kind: "ok"; actions: string; warnings: readonly string[] } | {
  kind: "refused";
  error: ConfigError;
};

function run(config: Json, host: HostKind): Outcome {
  try {
    const o = observe(parseSpec(config), host);
    return { kind: "ok", ...o };
  } catch (err) {
    if (err instanceof ConfigError) return { kind: "refused", error: err };
    throw err;
  }
}

const dotted = (ptr: string) => ptr.slice(1).split("/").filter((p) => p !== "*").join(".");

/** The warning names the field or one of its parents (at least linux.resources.x). */
function namesField(warning: string, ptr: string): boolean {
  const parts = dotted(ptr).split(".");
  for (let n = parts.length; n >= Math.min(3, parts.length); n--) {
    if (warning.includes(parts.slice(0, n).join("."))) return true;
  }
  return false;
}

function concrete(ptr: string): string {
  let prefix = "";
  return ptr.split("/").slice(1).map((p) => {
    prefix += `/${p}`;
    return p === "*" ? (TEMPLATES[prefix]?.key ?? "0") : p;
  }).reduce((a, p) => `${a}/${p}`, "");
}

/** Why `ptr` is parsed and ignored on `host`, or undefined when runo does something with it. */
function problem(ptr: string, host: HostKind): string | undefined {
  const [a, b] = VALUES[ptr];
  const base = CONTEXT[ptr] ? CONTEXT[ptr](defaultConfig() as Json) : (defaultConfig() as Json);
  const prepend = !CONTEXT[ptr];
  const ra = run(put(base, ptr, a, prepend), host);
  if (ra.kind === "refused") {
    const where = ra.error.pointer;
    const own = concrete(ptr);
    if (!(own === where || own.startsWith(`${where}/`) || where.startsWith(`${own}/`))) {
      return `refused at ${where}, not at the field: ${ra.error.message}`;
    }
    if (ra.error.message.includes("\n")) return `refusal is not one line: ${ra.error.message}`;
    return undefined;
  }
  const rb = run(put(base, ptr, b === undefined ? ABSENT : b, prepend), host);
  if (rb.kind === "refused") {
    return VALIDATED[ptr]
      ? undefined
      : `only ${JSON.stringify(b)} is refused (${rb.error.message}); ${
        JSON.stringify(a)
      } has no effect`;
  }
  if (ra.actions !== rb.actions) return undefined;
  const warned = [...ra.warnings, ...rb.warnings].filter((w) => namesField(w, ptr));
  const listed = Object.hasOwn(WARNED_FIELDS, ptr);
  if (warned.length > 0 && listed) return undefined;
  if (warned.length > 0) return `warns (${warned[0]}) but is not in lib/spec/warned_fields.ts`;
  return "parsed, but no effect, no refusal and no warning";
}

Deno.test({
  name: schema.testName("every schema field has samples here, and every sample is a schema field"),
  ignore: schema.ignore,
  fn() {
    const fields = schemaFields();
    const leaves = [...fields].filter(([p, leaf]) => leaf && !PLATFORM[p]).map(([p]) => p);
    const missing = leaves.filter((p) => !VALUES[p]);
    assert(missing.length === 0, `schema fields without samples: ${missing.join(", ")}`);
    const stale = Object.keys(VALUES).filter((p) => !fields.has(p));
    assert(stale.length === 0, `samples for fields the schema does not have: ${stale.join(", ")}`);
    for (const p of Object.keys(WARNED_FIELDS)) {
      assert(fields.has(p), `warned field ${p} is not in the schema`);
    }
  },
});

for (const host of ["v1", "v2"] as const) {
  Deno.test({
    name: schema.testName(
      `every config field is applied, refused or warned about (cgroup ${host} host)`,
    ),
    ignore: schema.ignore,
    fn() {
      const leaves = [...schemaFields()].filter(([p, leaf]) => leaf && !PLATFORM[p] && VALUES[p])
        .map(([p]) => p);
      const problems = leaves.map((p) => [p, problem(p, host)] as const).filter(([, why]) => why);
      assert(
        problems.length === 0,
        `fields parsed and ignored on cgroup ${host}:\n` +
          problems.map(([p, why]) => `  ${p}: ${why}`).join("\n"),
      );
    },
  });
}
