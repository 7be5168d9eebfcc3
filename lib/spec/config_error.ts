// The one error of config parsing and validation: what is wrong, and where,
// as a JSON pointer (RFC 6901) into the file, so a user can find the field:
//
//   config.json: /linux/namespaces/2/type: unknown namespace type "usr"
//
// Permissions: none.

export interface ConfigErrorOptions {
  /** The file the pointer points into; "config.json" unless told. */
  readonly file?: string;
  readonly cause?: unknown;
}

/** A config problem: what is wrong and where, as a JSON pointer into the file. */
export class ConfigError extends Error {
  /** For a program to switch on: always INVALID_CONFIG. */
  readonly code = "INVALID_CONFIG";
  /** JSON pointer to the offending value; "" for the whole document. */
  readonly pointer: string;
  /** The problem alone, without file and pointer. */
  readonly reason: string;
  /** The file the pointer points into. */
  readonly file: string;

  /** The error at `pointer` ("" for the whole document), saying `reason`. */
  constructor(pointer: string, reason: string, options: ConfigErrorOptions = {}) {
    const file = options.file ?? "config.json";
    super(`${file}: ${pointer === "" ? "" : `${pointer}: `}${reason}`, { cause: options.cause });
    this.name = "ConfigError";
    this.pointer = pointer;
    this.reason = reason;
    this.file = file;
  }

  /** The same error, said of another file (`runo exec --process p.json`). */
  inFile(file: string): ConfigError {
    return new ConfigError(this.pointer, this.reason, { file, cause: this.cause });
  }
}

/** Escapes one reference token: "~" → "~0", "/" → "~1" (RFC 6901 §3). */
export function escapeToken(token: string | number): string {
  return String(token).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The pointer to `tokens` below `base`: at("/linux", "sysctl", "net/x") → "/linux/sysctl/net~1x". */
export function at(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((t) => `/${escapeToken(t)}`).join("");
}
