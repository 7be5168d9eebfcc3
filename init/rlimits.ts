// process.rlimits → SETRLIMIT operations, for the standard and the setns
// init. runc sets them with prlimit from the parent (on procReady for
// create, right after start for exec); the init sets them on itself at the
// same point, before dropping privileges, with the same effect on the
// program it execs. The parser already refuses unknown names and soft >
// hard (setrlimit(2) would fail with EINVAL); the planner checks again so a
// plan built from any Spec names the field.
//
// Permissions: none.

import type { Rlimit } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { ConfigError } from "../lib/spec/config_error.ts";

/** RLIMIT_* numbers (<asm-generic/resource.h>). */
export const RLIMITS: Readonly<Record<string, number>> = Object.fromEntries(
  [
    "CPU",
    "FSIZE",
    "DATA",
    "STACK",
    "CORE",
    "RSS",
    "NPROC",
    "NOFILE",
    "MEMLOCK",
    "AS",
    "LOCKS",
    "SIGPENDING",
    "MSGQUEUE",
    "NICE",
    "RTPRIO",
    "RTTIME",
  ].map((name, i) => [`RLIMIT_${name}`, i]),
);

const U64_MAX = (1n << 64n) - 1n;

/** A JSON number as u64; RLIM_INFINITY (2^64-1) arrives rounded up to 2^64. */
export function toU64(n: number): bigint {
  const v = BigInt(Math.trunc(n));
  return v > U64_MAX ? U64_MAX : v;
}

/** One SETRLIMIT per rlimit; `pointer` locates the list for errors. */
export function rlimitOps(
  rlimits: readonly Rlimit[] | undefined,
  step: string,
  pointer = "/process/rlimits",
): PlanOp[] {
  return (rlimits ?? []).map((r, i) => {
    if (!Object.hasOwn(RLIMITS, r.type)) {
      throw new ConfigError(`${pointer}/${i}/type`, `Unknown rlimit "${r.type}"`);
    }
    const soft = toU64(r.soft), hard = toU64(r.hard);
    if (soft > hard) {
      throw new ConfigError(
        `${pointer}/${i}`,
        `soft limit ${r.soft} is above hard limit ${r.hard} for ${r.type}`,
      );
    }
    return { op: "SETRLIMIT", step, num: RLIMITS[r.type], value: soft, value2: hard };
  });
}
