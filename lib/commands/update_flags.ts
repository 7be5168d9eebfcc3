// runc update's individual flags (runc 1.5) → an OCI resources object,
// plus the Intel RDT schemas and the deprecated kernel memory flags, which
// runc accepts, warns about and ignores.
//
// Permissions: none.

import type { FlagSpec, Parsed } from "./args.ts";
import { UsageError } from "./args.ts";
import type { IntelRdt, Resources } from "../spec/types.ts";
import { KERNEL_MEMORY_WARNING } from "../container/update.ts";

type Kind = "bytes" | "int" | "uint" | "string";
/** flag → [group, field, kind] */
const FIELDS: Record<string, [string, string, Kind]> = {
  "blkio-weight": ["blockIO", "weight", "int"],
  "cpu-period": ["cpu", "period", "uint"],
  "cpu-quota": ["cpu", "quota", "int"],
  "cpu-burst": ["cpu", "burst", "uint"],
  "cpu-share": ["cpu", "shares", "uint"],
  "cpu-shares": ["cpu", "shares", "uint"],
  "cpu-rt-period": ["cpu", "realtimePeriod", "uint"],
  "cpu-rt-runtime": ["cpu", "realtimeRuntime", "int"],
  "cpu-idle": ["cpu", "idle", "int"],
  "cpuset-cpus": ["cpu", "cpus", "string"],
  "cpuset-mems": ["cpu", "mems", "string"],
  "memory": ["memory", "limit", "bytes"],
  "memory-reservation": ["memory", "reservation", "bytes"],
  "memory-swap": ["memory", "swap", "bytes"],
  "pids-limit": ["pids", "limit", "int"],
};

/** runc 1.5 keeps them (hidden, "obsoleted"): parsed, warned about, not applied. */
const KERNEL_MEMORY = ["kernel-memory", "kernel-memory-tcp"];

const RDT: Record<string, keyof IntelRdt> = {
  "l3-cache-schema": "l3CacheSchema",
  "mem-bw-schema": "memBwSchema",
};

export const UPDATE_FLAGS = [
  {
    name: "resources",
    alias: "r",
    kind: "string",
    value: "FILE",
    help: "path to a file with the resources to update, or '-' for stdin",
  },
  ...Object.entries(FIELDS).map(([name, [group, field]]) => ({
    name,
    kind: "string" as const,
    value: "VALUE",
    help: `set linux.resources.${group}.${field}`,
  })),
  ...KERNEL_MEMORY.map((name) => ({
    name,
    kind: "string" as const,
    value: "VALUE",
    help: "(obsoleted; do not use: ignored with a warning, as runc)",
  })),
  ...Object.entries(RDT).map(([name, field]) => ({
    name,
    kind: "string" as const,
    value: "SCHEMA",
    help: `set linux.intelRdt.${field} (the container must have intelRdt)`,
  })),
] as const satisfies readonly FlagSpec[];

/** "64m", "1G", "1024", "-1" → bytes (docker's RAMInBytes: binary units). */
export function parseBytes(flag: string, text: string): number {
  const m = /^(-?\d+)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--${flag}: invalid size "${text}"`);
  const unit = { "": 0, k: 1, m: 2, g: 3, t: 4 }[m[2].toLowerCase() as "" | "k"] ?? 0;
  return Number(m[1]) * 1024 ** unit;
}

function value(flag: string, kind: Kind, raw: string): number | string {
  if (kind === "string") return raw;
  if (kind === "bytes") return parseBytes(flag, raw);
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || (kind === "uint" && n < 0)) {
    throw new UsageError(`invalid value for ${flag}: "${raw}"`);
  }
  return n;
}

export function resourcesFromFlags(parsed: Parsed): Resources {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [flag, [group, field, kind]] of Object.entries(FIELDS)) {
    const raw = parsed.values[flag];
    if (typeof raw !== "string") continue;
    (out[group] ??= {})[field] = value(flag, kind, raw);
  }
  return out as Resources;
}

/** The warning runc prints when a kernel memory flag is given (its value is still checked). */
export function kernelMemoryWarning(parsed: Parsed): string | undefined {
  let given = false;
  for (const flag of KERNEL_MEMORY) {
    const raw = parsed.values[flag];
    if (typeof raw !== "string") continue;
    parseBytes(flag, raw);
    given = true;
  }
  return given ? KERNEL_MEMORY_WARNING : undefined;
}

/** --l3-cache-schema and --mem-bw-schema, or undefined without them. */
export function intelRdtFromFlags(parsed: Parsed): Partial<IntelRdt> | undefined {
  const out: Record<string, string> = {};
  for (const [flag, field] of Object.entries(RDT)) {
    const raw = parsed.values[flag];
    if (typeof raw === "string" && raw !== "") out[field] = raw;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The --resources document with every group and field the flags set, as
 * update's help shows it (runc prints the same shape).
 */
export function resourcesExample(): string {
  const doc: Record<string, Record<string, number | string>> = {};
  for (const [group, field, kind] of Object.values(FIELDS)) {
    (doc[group] ??= {})[field] = kind === "string" ? "" : 0;
  }
  return JSON.stringify(doc, null, 2);
}
