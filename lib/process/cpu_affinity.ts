// process.execCPUAffinity for `exec` (runtime spec 1.3, runc 1.3's
// setnsProcess): `initial` is the affinity the new process starts with,
// while it joins the container's cgroups (it inherits it from the thread
// that spawns it); `final` is set once it is in them (joining a cpuset
// cgroup may change it). Without either, the affinity is reset to every
// CPU after the join, as runc does for exec and for the container's init,
// so that runo's own affinity is never passed on; the kernel then clamps
// it to the cgroup's cpuset.
//
// Permissions: none.

import type { ExecCPUAffinity } from "../spec/types.ts";
import { idMask, MAX_CPU_ID, parseIdList } from "../spec/cpu_list.ts";

/** Every CPU up to runc's MaxCPU: what "reset" sets. */
export const ALL_CPUS: Uint8Array<ArrayBuffer> = new Uint8Array(MAX_CPU_ID / 8).fill(0xff);

export interface AffinityPlan {
  /** The spawning thread's affinity while it spawns the init's stage 0. */
  readonly initial?: Uint8Array<ArrayBuffer>;
  /** Set on stage 0 after the cgroup join, before it forks the rest. */
  readonly final?: Uint8Array<ArrayBuffer>;
}

function mask(list: string | undefined): Uint8Array<ArrayBuffer> | undefined {
  if (list === undefined || list.trim() === "") return undefined;
  const ids = parseIdList(list);
  // The parser refused bad lists already (lib/spec/parse_process.ts).
  if (typeof ids === "string") throw new Error(`invalid CPU list "${list}": ${ids}`);
  return idMask(ids);
}

/** What exec does with execCPUAffinity (the process's, else the container's). */
export function execAffinityPlan(affinity: ExecCPUAffinity | undefined): AffinityPlan {
  const initial = mask(affinity?.initial);
  const final = mask(affinity?.final);
  if (initial === undefined && final === undefined) return { final: ALL_CPUS };
  return { ...(initial ? { initial } : {}), ...(final ? { final } : {}) };
}

/** The container's init: not in the spec's scope, reset as runc does. */
export const INIT_AFFINITY: AffinityPlan = { final: ALL_CPUS };

/** "0x3" for the first 64 CPUs of a mask, as runc's nsexec logs it. */
export function maskHex(m: Uint8Array): string {
  let v = 0n;
  for (let i = Math.min(m.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(m[i]);
  return `0x${v.toString(16)}`;
}
