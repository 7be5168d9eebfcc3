// The spec's rules about hooks that every runner shares: the phases, the
// argv a hook runs with, and whether the init itself must run some.
// lib/hooks runs the host-side phases, init/hooks.ts plans the two that run
// inside the container.
//
// Permissions: none.

import type { Hook, Hooks } from "./types.ts";

/** A hook phase of the OCI config: prestart, createRuntime, createContainer, startContainer, poststart, poststop. */
export type HookPhase = keyof Hooks;

/** args[0] is argv[0] (the spec follows execv); no args means argv = [path]. */
export function hookArgv(hook: Hook): string[] {
  return hook.args && hook.args.length > 0 ? [...hook.args] : [hook.path];
}

/** True when the config has hooks the init must run (a state file is needed). */
export function hasInitHooks(hooks: Hooks | undefined): boolean {
  return (hooks?.createContainer?.length ?? 0) + (hooks?.startContainer?.length ?? 0) > 0;
}
