// A plan: the ordered operations the C init carries out. Plans are data:
// the planners in init/ produce them, `runo create --debug` prints them,
// the encoder turns them into OP attributes, and a procError names the
// failing operation by its index so the parent can report its step.
//
// Permissions: none.

import type { OpName } from "./ids.ts";

/** One operation. Which fields an operation reads is documented in ids.ts. */
export interface PlanOp {
  readonly op: OpName;
  /** The planner step that produced it, e.g. "mounts[3]" or "devices". */
  readonly step: string;
  readonly source?: string;
  readonly target?: string;
  readonly fstype?: string;
  readonly data?: string;
  readonly flags?: number;
  readonly mode?: number;
  readonly dev?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly fd?: number;
  readonly args?: readonly string[];
  readonly env?: readonly string[];
  readonly ids?: readonly number[];
  readonly num?: number;
  readonly value?: bigint;
  readonly value2?: bigint;
  readonly bytes?: Uint8Array;
  readonly opts?: number;
}

export type Plan = readonly PlanOp[];

/** What stage 0/1/2 need besides the plan. */
export interface Bootstrap {
  /** CLONE_NEW* flags of the namespaces to create. */
  readonly cloneFlags: number;
  /** Namespaces to join, in the order to join them (user first). */
  readonly nsPaths: readonly { readonly flag: number; readonly path: string }[];
  readonly uidMap?: string;
  readonly gidMap?: string;
  readonly setgroupsDeny?: boolean;
  readonly oomScoreAdj?: number;
  readonly logLevel: number;
  readonly uidmapPath?: string;
  readonly gidmapPath?: string;
  readonly timensOffsets?: string;
  readonly plan: Plan;
}

/**
 * A plan as one JSON line for `--debug`: u64 fields as decimal strings and
 * byte fields (a seccomp program, struct sched_attr) as their hex, not as
 * an object of indexes.
 */
export function planJson(plan: Plan): string {
  return JSON.stringify(
    plan,
    (_k, x) =>
      typeof x === "bigint"
        ? String(x)
        : x instanceof Uint8Array
        ? Array.from(x, (b) => b.toString(16).padStart(2, "0")).join("")
        : x,
  );
}
