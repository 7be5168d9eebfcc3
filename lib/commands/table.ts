// The command line's commands, and which command an argv runs: shared by
// cli.ts and the bundle's entry (packaging/dispatch.ts), which picks that
// command's file of the bundle before anything else loads.
//
// Permissions: none.

import { parseFlags } from "./args.ts";
import { GLOBAL_FLAGS } from "./global_flags.ts";

// Each command's module is lib/commands/<name>.ts, loaded only when that
// command runs (so that `state` never pays for the planner, and so on),
// through lib/lazy.ts: a literal import("./x.ts") would make Deno read and
// link every command's modules at start-up.
export const COMMANDS: Readonly<Record<string, string>> = {
  create: "create a container",
  start: "executes the user defined process in a created container",
  run: "create and run a container",
  state: "output the state of a container",
  kill: "kill sends the specified signal (default: SIGTERM) to the container's init process",
  delete: "delete any resources held by the container",
  list: "lists containers started by runo with the given root",
  pause: "pause suspends all processes inside the container",
  resume: "resumes all processes that have been previously paused",
  ps: "ps displays the processes running inside a container",
  update: "update container resource constraints",
  events: "display container events such as OOM notifications, cpu, memory, and IO usage",
  exec: "execute new process inside the container",
  spec: "create a new specification file",
  features: "show the enabled features",
  checkpoint: "checkpoint a running container (not supported: no CRIU integration)",
  restore: "restore a container from a previous checkpoint (not supported: no CRIU integration)",
};

/**
 * The command whose module cli.ts's main loads for `argv` (its own, or
 * its help's: `runo help run`, `runo h run`, `runo run --help`); undefined when main
 * loads none (--version, --help, no command, an unknown one, a bad flag).
 */
export function commandToLoad(argv: readonly string[]): string | undefined {
  let global;
  try {
    global = parseFlags(argv, GLOBAL_FLAGS, true);
  } catch {
    return undefined;
  }
  if (global.values.version || global.values.help) return undefined;
  const [name, ...rest] = global.positionals;
  const wanted = name === "help" || name === "h" ? rest[0] : name;
  return wanted !== undefined && Object.hasOwn(COMMANDS, wanted) ? wanted : undefined;
}
