// runc-style argument parsing: `--flag value`, `--flag=value`, `-f value`,
// single-dash long names (`-bundle`), boolean flags, `--` ends flags.
// Written here rather than with node:util's parseArgs, which costs ~5 ms
// of every command's start-up and does not accept single-dash long names.
//
// Permissions: none.

export interface FlagSpec {
  readonly name: string;
  readonly alias?: string;
  /** "list": repeatable, every value kept in order (runc's StringSlice). */
  readonly kind: "bool" | "string" | "list";
  readonly help: string;
  readonly value?: string;
}

/** What a flag of each kind parses to. */
type KindValue<K extends FlagSpec["kind"]> = K extends "bool" ? boolean
  : K extends "string" ? string
  : readonly string[];

/**
 * The parsed values of a flag table, keyed by each flag's name: a table
 * written with literal names (`as const satisfies readonly FlagSpec[]`, or
 * inline in defineCommand) types each value; a computed one gives the union.
 */
export type FlagValues<F extends readonly FlagSpec[]> = {
  readonly [S in F[number] as S["name"]]?: KindValue<S["kind"]>;
};

export interface Parsed<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly values: FlagValues<F>;
  readonly positionals: readonly string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parses flags anywhere among the positionals unless `stopAtPositional`
 * (global flags stop at the command name; `exec` stops at the program).
 */
export function parseFlags<const F extends readonly FlagSpec[]>(
  argv: readonly string[],
  flags: F,
  stopAtPositional = false,
): Parsed<F> {
  const values: Record<string, string | boolean | string[] | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      if (stopAtPositional) {
        positionals.push(...argv.slice(i));
        break;
      }
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    const flag = flags.find((f) => f.name === name || f.alias === name);
    if (!flag) throw new UsageError(unknownFlag(arg, name, flags));
    if (flag.kind === "bool") {
      values[flag.name] = eq < 0 ? true : !/^(false|0)$/i.test(body.slice(eq + 1));
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = body.slice(eq + 1);
    } else if (i + 1 < argv.length) {
      value = argv[++i];
    } else {
      throw new UsageError(`flag needs an argument: ${arg}`);
    }
    if (flag.kind === "list") {
      const prev = values[flag.name];
      values[flag.name] = [...(Array.isArray(prev) ? prev : []), value];
    } else {
      values[flag.name] = value;
    }
  }
  // The one cast: each value was stored under its flag's name, by its kind.
  return { values: values as FlagValues<F>, positionals };
}

/** The values of two parses of one table as one: lists joined, the later value winning. */
export function mergeValues<F extends readonly FlagSpec[]>(
  first: FlagValues<F>,
  then: FlagValues<F>,
): FlagValues<F> {
  const values: Record<string, unknown> = { ...first };
  for (const [k, v] of Object.entries(then)) {
    const prev = values[k];
    values[k] = Array.isArray(prev) && Array.isArray(v) ? [...prev, ...v] : v;
  }
  return values as FlagValues<F>;
}

function unknownFlag(arg: string, name: string, flags: readonly FlagSpec[]): string {
  const names = flags.flatMap((f) => f.alias ? [f.name, f.alias] : [f.name]);
  const best = names
    .map((n) => ({ n, d: distance(n, name) }))
    .sort((a, b) => a.d - b.d)[0];
  const hint = best && best.d <= Math.max(2, name.length / 3)
    ? ` (did you mean ${best.n.length === 1 ? "-" : "--"}${best.n}?)`
    : "";
  return `flag provided but not defined: ${arg}${hint}`;
}

/** Levenshtein distance, for "did you mean" hints. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The help text of a flag table, in runc's OPTIONS layout. */
export function flagHelp(flags: readonly FlagSpec[]): string {
  const rows = flags.map((f) => {
    const names = [f.name, f.alias].filter(Boolean).map((n) => (n!.length === 1 ? "-" : "--") + n);
    const value = f.kind === "bool" ? "" : ` ${f.value ?? "value"}`;
    return [`${names.join(", ")}${value}`, f.help];
  });
  const width = Math.max(0, ...rows.map((r) => r[0].length)) + 3;
  return rows.map(([l, r]) => `   ${l.padEnd(width)}${r}`).join("\n");
}

/** Text wrapped at `width` columns, each line indented like runc's help. */
export function wrapHelp(text: string, width = 80, indent = "   "): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}
