// The shape of a CLI command, and the context global flags give it.
//
// Permissions: none.

import type { FlagSpec, Parsed } from "./args.ts";
import { UsageError } from "./args.ts";

export interface Context {
  readonly root: string;
  readonly debug: boolean;
  /** The global --systemd-cgroup flag. */
  readonly systemdCgroup?: boolean;
  /** The global --rootless value (auto, true or false; lib/rootless/mode.ts). */
  readonly rootless?: string;
  /** create, run, exec: the bundle entry's cgroup warming, to hand over (lib/cgroups/prime.ts). */
  readonly cgroupWarm?: Disposable;
}

export interface Command<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** A paragraph for `--help` (runc's DESCRIPTION), wrapped when printed. */
  readonly description?: string;
  /** Printed after OPTIONS as written, not wrapped (update's JSON format). */
  readonly notes?: string;
  readonly flags: F;
  /** Its own argv parsing (exec: flags stop at the program); parseFlags by default. */
  readonly parse?: (argv: readonly string[]) => Parsed<F>;
  /** How many positional arguments it takes, as runc's checkArgs (max undefined: any). */
  readonly args: { readonly min: number; readonly max?: number };
  /**
   * The exit code when the command itself fails (runc exits 255 for a
   * failed exec, so that callers tell it from the process's own exit 1);
   * 1 by default.
   */
  readonly failureExitCode?: number;
  /** Returns the process exit code. */
  run(ctx: Context, parsed: Parsed<F>): Promise<number>;
}

/**
 * A command whose run() sees its own flags typed: `parsed.values.bundle`
 * is `string | undefined` when the table has a string flag "bundle".
 */
export function defineCommand<const F extends readonly FlagSpec[]>(command: Command<F>): Command {
  return command;
}

/** The single <container-id> argument most commands take. */
export function containerId(parsed: Parsed, command: string): string {
  if (parsed.positionals.length < 1) {
    throw new UsageError(`"${command}" requires a container id`);
  }
  return parsed.positionals[0];
}

/** The arity check cli.ts makes before run(), in runc's words. */
export function checkArgs(command: Command, parsed: Parsed): void {
  const { min, max } = command.args;
  const got = parsed.positionals.length;
  const plural = (n: number) => `${n} argument${n === 1 ? "" : "s"}`;
  let wants: string | undefined;
  if (min === max && got !== min) wants = `exactly ${plural(min)}`;
  else if (got < min) wants = `at least ${plural(min)}`;
  else if (max !== undefined && got > max) wants = `at most ${plural(max)}`;
  if (wants) throw new UsageError(`"${command.name}" requires ${wants}, got ${got}`);
}
