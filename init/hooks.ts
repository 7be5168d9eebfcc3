// The hooks that run inside the container (createContainer, startContainer)
// as plan operations for the C init (RUN_HOOK).
//
// Permissions: none.

import type { Hooks } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { hookArgv } from "../lib/spec/hooks.ts";

/**
 * RUN_HOOK operations for one in-container phase; `stateFd` is the init's
 * fd of the file the parent fills with the state JSON before the hooks run.
 */
export function hookOps(
  hooks: Hooks | undefined,
  phase: "createContainer" | "startContainer",
  stateFd: number,
): PlanOp[] {
  return (hooks?.[phase] ?? []).map((h, i) => ({
    op: "RUN_HOOK",
    step: `${phase}Hooks[${i}]`,
    source: h.path,
    args: hookArgv(h),
    env: h.env ?? [],
    value: BigInt((h.timeout ?? 0) * 1000),
    fd: stateFd,
    data: phase,
    // After the fifo wait nobody reads the init pipe: `start` finds the
    // failure in the state file instead.
    num: phase === "startContainer" ? 1 : 0,
  }));
}
