// runc update's individual flags → an OCI resources object.
//
// Permissions: none.

import type { FlagSpec, Parsed } from "./args.ts";
import { UsageError } from "./args.ts";
import type { Resources } from "../spec/types.ts";

type Kind = "bytes" | "int" | "string";
/** flag → [group, field, kind] */
const FIELDS: Record<string, [string, string, Kind]> = {
  "blkio-weight": ["blockIO", "weight", "int"],
  "cpu-period": ["cpu", "period", "int"],
  "cpu-quota": ["cpu", "quota", "int"],
  "cpu-share": ["cpu", "shares", "int"],
  "cpu-shares": ["cpu", "shares", "int"],
  "cpu-rt-period": ["cpu", "realtimePeriod", "int"],
  "cpu-rt-runtime": ["cpu", "realtimeRuntime", "int"],
  "cpuset-cpus": ["cpu", "cpus", "string"],
  "cpuset-mems": ["cpu", "mems", "string"],
  "memory": ["memory", "limit", "bytes"],
  "memory-reservation": ["memory", "reservation", "bytes"],
  "memory-swap": ["memory", "swap", "bytes"],
  "pids-limit": ["pids", "limit", "int"],
};

export const UPDATE_FLAGS: readonly FlagSpec[] = [
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
];

/** "64m", "1G", "1024", "-1" → bytes (docker's RAMInBytes: binary units). */
export function parseBytes(flag: string, text: string): number {
  const m = /^(-?\d+)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--${flag}: invalid size "${text}"`);
  const unit = { "": 0, k: 1, m: 2, g: 3, t: 4 }[m[2].toLowerCase() as "" | "k"] ?? 0;
  return Number(m[1]) * 1024 ** unit;
}

export function resourcesFromFlags(parsed: Parsed): Resources {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [flag, [group, field, kind]] of Object.entries(FIELDS)) {
    const raw = parsed.values[flag];
    if (typeof raw !== "string") continue;
    let value: number | string = raw;
    if (kind === "bytes") value = parseBytes(flag, raw);
    if (kind === "int") {
      value = Number(raw);
      if (!Number.isInteger(value)) throw new UsageError(`--${flag}: not an integer: "${raw}"`);
    }
    (out[group] ??= {})[field] = value;
  }
  return out as Resources;
}
