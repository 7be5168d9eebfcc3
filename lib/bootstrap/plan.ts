// A plan: the ordered operations the C init carries out. Plans are data:
// the planners in init/ produce them, `runo create --debug` prints them,
// the encoder turns them into OP attributes, and a procError names the
// failing operation by its index so the parent can report its step.
//
// Permissions: none.

import type { FieldKey, FIELDS, OpName, OPS, Wire } from "./ids.ts";

/** The TypeScript type of each wire type. */
interface WireValue {
  str: string;
  u32: number;
  i32: number;
  u64: number;
  big: bigint;
  u32s: readonly number[];
  bytes: Uint8Array;
  strs: readonly string[];
}

type Fields<N extends OpName> = (typeof OPS)[N]["fields"];
type ValueOf<K> = K extends FieldKey ? WireValue[(typeof FIELDS)[K]["wire"] & Wire] : never;
type Flat<T> = { [K in keyof T]: T[K] };

/**
 * Operation N with exactly the fields ids.ts gives it: the required ones
 * required, the optional ones optional. Every other field is `undefined`,
 * so that any PlanOp can be read as `op.target`, while giving a value to a
 * field the operation does not take is a type error.
 */
export type OpOf<N extends OpName> = Flat<
  & {
    readonly op: N;
    /** The planner step that produced it, e.g. "mounts[3]" or "devices". */
    readonly step: string;
  }
  & { readonly [K in keyof Fields<N> as Fields<N>[K] extends "req" ? K : never]: ValueOf<K> }
  & { readonly [K in keyof Fields<N> as Fields<N>[K] extends "opt" ? K : never]?: ValueOf<K> }
  & { readonly [K in Exclude<FieldKey, keyof Fields<N>>]?: undefined }
>;

/** One operation of the plan: a union over OPS, discriminated by `op`. */
export type PlanOp = { [N in OpName]: OpOf<N> }[OpName];

/** An operation whose step the planner fills in from its step table. */
export type DraftOp = {
  [N in OpName]: Flat<Omit<OpOf<N>, "step"> & { readonly step?: string }>;
}[OpName];

export type Plan = readonly PlanOp[];

/** What stage 0/1/2 need besides the plan. */
export interface Bootstrap {
  /** CLONE_NEW* flags of the namespaces to create. */
  readonly cloneFlags: number;
  /**
   * Namespaces of a live process to join through its pidfd (exec: the
   * container's init), `fd` being the init's fd number of the pidfd.
   */
  readonly joinPidfd?: { readonly fd: number; readonly flags: number };
  /** Namespaces to join by path, in the order to join them (user first). */
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
