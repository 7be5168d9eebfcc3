// The config functions of the library API: parse, validate and generate
// OCI configs (config.json) with no permission and no FFI.
//
// Permissions: none.

import type { Spec } from "../spec/types.ts";
import { parseSpec, parseSpecText } from "../spec/parse.ts";
import { validateForCreate, validateSpec } from "../spec/validate.ts";
import { defaultSpec } from "../spec/default.ts";

/** Options of {@linkcode validateConfig}. */
export interface ValidateOptions {
  /**
   * Also apply what `runo create` demands of a config beyond consistency
   * (root and process given, args not empty, …); default true.
   */
  readonly forCreate?: boolean;
  /** The file name errors name; default "config.json". */
  readonly file?: string;
}

/**
 * Parses a config: JSON text, or a value already parsed from JSON, into a
 * typed {@linkcode Spec}. Throws a ConfigError naming the JSON pointer
 * of the first bad field (`config.json: /process/args: …`).
 */
export function parseConfig(config: unknown, file = "config.json"): Spec {
  if (typeof config === "string") return parseSpecText(config, file);
  try {
    return parseSpec(config);
  } catch (err) {
    throw rename(err, file);
  }
}

/**
 * Parses and validates a config with runc's rules that need no look at
 * the host (namespaces, id mappings, paths, sysctls, …); returns the Spec
 * or throws the first ConfigError with its JSON pointer.
 */
export function validateConfig(config: unknown, options: ValidateOptions = {}): Spec {
  const file = options.file ?? "config.json";
  const spec = parseConfig(config, file);
  try {
    validateSpec(spec);
    if (options.forCreate !== false) validateForCreate(spec);
  } catch (err) {
    throw rename(err, file);
  }
  return spec;
}

/**
 * The config `runo spec` (and `runc spec`) writes: a busybox-friendly
 * default running `sh`, with a fresh object each call for the caller to
 * edit. With `rootless`, the user-namespace variant mapping uid and gid.
 */
export function defaultConfig(
  options: { readonly rootless?: false } | {
    readonly rootless: true;
    readonly uid: number;
    readonly gid: number;
  } = {},
): Spec {
  return defaultSpec(options);
}

function rename(err: unknown, file: string): unknown {
  const e = err as { inFile?: (f: string) => unknown; file?: string };
  return typeof e?.inFile === "function" && e.file !== file ? e.inFile(file) : err;
}
