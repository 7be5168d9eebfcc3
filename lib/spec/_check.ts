// Small checks that read one JSON value at a JSON pointer and return it
// typed, or throw a ConfigError naming that pointer. The parsers in parse*.ts
// are tables of these; `object<T>()` is typed so that a table must name
// every field of T, required fields with req() and optional ones with opt().
//
// Permissions: none.

import { at, ConfigError } from "./config_error.ts";

/** Reads `value` found at `pointer`; throws ConfigError if it does not fit. */
export type Check<T> = (value: unknown, pointer: string) => T;

/** An extra rule on a value already of the right shape; throws ConfigError. */
export type Rule<T> = (value: T, pointer: string) => void;

type Json = Readonly<Record<string, unknown>>;

/** A short description of a JSON value for messages: `"usr"`, `12`, `an object`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string" && value.length > 60) {
    return `${JSON.stringify(value.slice(0, 60))}…`;
  }
  return JSON.stringify(value) ?? String(value);
}

export const string: Check<string> = (v, p) => {
  if (typeof v !== "string") throw new ConfigError(p, `must be a string, got ${describe(v)}`);
  return v;
};

export const nonEmptyString: Check<string> = (v, p) => {
  if (string(v, p) === "") throw new ConfigError(p, "must not be empty");
  return v as string;
};

export const boolean: Check<boolean> = (v, p) => {
  if (typeof v !== "boolean") throw new ConfigError(p, `must be a boolean, got ${describe(v)}`);
  return v;
};

/**
 * An integer in [min, max]. JSON numbers are doubles here, so 64-bit limits
 * are approximate: 2^64-1 (RLIM_INFINITY as Go writes it) reads as 2^64,
 * hence the bounds below are inclusive of the rounded values.
 */
export function integer(min: number, max: number, name: string): Check<number> {
  return (v, p) => {
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new ConfigError(p, `must be ${name}, got ${describe(v)}`);
    }
    if (v < min || v > max) throw new ConfigError(p, `must be ${name}, got ${v}`);
    return v;
  };
}

export const int32 = integer(-(2 ** 31), 2 ** 31 - 1, "an int32");
export const int64 = integer(-(2 ** 63), 2 ** 63, "an int64");
export const uint16 = integer(0, 2 ** 16 - 1, "an integer from 0 to 65535");
export const uint32 = integer(0, 2 ** 32 - 1, "an integer from 0 to 4294967295");
export const uint64 = integer(0, 2 ** 64, "a non-negative integer");

/** One of `values`; otherwise `unknown ${what} "x"`. */
export function oneOf<T extends string>(values: readonly T[], what: string): Check<T> {
  return (v, p) => {
    if (!values.includes(string(v, p) as T)) {
      throw new ConfigError(p, `unknown ${what} ${describe(v)}`);
    }
    return v as T;
  };
}

/** A string matching `pattern`; otherwise `invalid ${what} "x" (hint)`. */
export function matching(pattern: RegExp, what: string, hint: string): Check<string> {
  return (v, p) => {
    if (!pattern.test(string(v, p))) {
      throw new ConfigError(p, `invalid ${what} ${describe(v)}: ${hint}`);
    }
    return v as string;
  };
}

export const absolutePath: Check<string> = (v, p) => {
  if (!string(v, p).startsWith("/")) {
    throw new ConfigError(p, `must be an absolute path, got ${describe(v)}`);
  }
  return v as string;
};

/** Applies `rules` after `check`, in order. */
export function refine<T>(check: Check<T>, ...rules: Rule<T>[]): Check<T> {
  return (v, p) => {
    const value = check(v, p);
    for (const rule of rules) rule(value, p);
    return value;
  };
}

export function arrayOf<T>(item: Check<T>, ...rules: Rule<readonly T[]>[]): Check<readonly T[]> {
  return refine((v, p) => {
    if (!Array.isArray(v)) throw new ConfigError(p, `must be an array, got ${describe(v)}`);
    return v.map((x, i) => item(x, at(p, i)));
  }, ...rules);
}

export const nonEmptyArray: Rule<readonly unknown[]> = (v, p) => {
  if (v.length === 0) throw new ConfigError(p, "must not be empty");
};

function json(v: unknown, p: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ConfigError(p, `must be an object, got ${describe(v)}`);
  }
  return v as Json;
}

/** An object used as a map: every value checked; keys as given. */
export function mapOf<T>(
  item: Check<T>,
  ...rules: Rule<Readonly<Record<string, T>>>[]
): Check<Readonly<Record<string, T>>> {
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return refine(
    (v, p) =>
      Object.fromEntries(Object.entries(json(v, p)).map(([k, x]) => [k, item(x, at(p, k))])),
    ...rules,
  );
}

const REQUIRED = Symbol("required");
const OPTIONAL = Symbol("optional");
export interface RequiredField<T> {
  readonly kind: typeof REQUIRED;
  readonly check: Check<T>;
}
export interface OptionalField<T> {
  readonly kind: typeof OPTIONAL;
  readonly check: Check<T>;
}
export const req = <T>(check: Check<T>): RequiredField<T> => ({ kind: REQUIRED, check });
export const opt = <T>(check: Check<T>): OptionalField<T> => ({ kind: OPTIONAL, check });

/** One entry per field of T: opt() for optional fields, req() for required ones. */
export type Fields<T> = {
  readonly [K in keyof T]-?: Record<never, never> extends Pick<T, K>
    ? OptionalField<Exclude<T[K], undefined>>
    : RequiredField<T[K]>;
};

/**
 * An object with the fields of `fields`: each checked at its own pointer,
 * unknown ones ignored, absent optional ones left out of the result. A
 * null counts as absent, as Go's encoding/json (runc) reads it.
 */
export function object<T>(fields: Fields<T>, ...rules: Rule<T>[]): Check<T> {
  const entries = Object.entries(fields) as [
    string,
    RequiredField<unknown> | OptionalField<unknown>,
  ][];
  return refine((v, p) => {
    const o = json(v, p);
    const out: Record<string, unknown> = {};
    for (const [key, field] of entries) {
      const value = Object.hasOwn(o, key) ? o[key] : undefined;
      if (value === undefined || value === null) {
        if (field.kind === REQUIRED) throw new ConfigError(at(p, key), "is required");
        continue;
      }
      out[key] = field.check(value, at(p, key));
    }
    return out as T;
  }, ...rules);
}
