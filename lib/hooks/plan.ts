// The hooks that run inside the container (createContainer, startContainer)
// as plan operations for the C init (Op.RUN_HOOK), and the argv rule every
// runner shares.
//
// Permissions: none.

import type { Hook, Hooks } from "../spec/types.ts";
import type { PlanOp } from "../bootstrap/plan.ts";

export type HookPhase = keyof Hooks;

/** args[0] is argv[0] (the spec follows execv); no args means argv = [path]. */
export function hookArgv(hook: Hook): string[] {
  return hook.args && hook.args.length > 0 ? [...hook.args] : [hook.path];
}

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

/** True when the config has hooks the init must run (a state file is needed). */
export function hasInitHooks(hooks: Hooks | undefined): boolean {
  return (hooks?.createContainer?.length ?? 0) + (hooks?.startContainer?.length ?? 0) > 0;
}
