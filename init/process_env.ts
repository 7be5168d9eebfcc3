// What both inits do to the process they exec, shared by the standard init
// (init/standard_init.ts) and the setns init of exec (init/setns_init.ts),
// which need not load the other: runc's default PATH, its prepareEnv, and
// the fds marked close-on-exec.
//
// Permissions: none.

import type { DraftOp } from "../lib/bootstrap/plan.ts";
import { ConfigError } from "../lib/spec/config_error.ts";

/** runc's default PATH for the lookup when process.env has none. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Nothing but stdio and the preserved fds may reach the container process
 * (CVE-2024-21626: runc's CloseExecFrom). Marked before any seccomp filter,
 * so a profile need not allow close_range (engines' older profiles do not).
 */
export function closeFdsOps(preservedFds: number): DraftOp[] {
  return [{ op: "CLOEXEC_FROM", num: 3 + preservedFds }];
}

/**
 * process.env as runc's prepareEnv leaves it: the last value of each name
 * kept, in place; an empty HOME dropped; HOME added from `home` if unset.
 */
export function prepareEnv(env: readonly string[], home?: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = env.length - 1; i >= 0; i--) {
    const eq = env[i].indexOf("=");
    if (eq <= 0) {
      throw new ConfigError(`/process/env/${i}`, `Invalid environment variable "${env[i]}"`);
    }
    const name = env[i].slice(0, eq);
    if (seen.has(name)) continue;
    seen.add(name);
    if (name === "HOME" && eq === env[i].length - 1) continue;
    out.push(env[i]);
  }
  out.reverse();
  if (home !== undefined && !out.some((e) => e.startsWith("HOME="))) out.push(`HOME=${home}`);
  return out;
}
