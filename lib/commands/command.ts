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
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** A paragraph for `--help` (runc's DESCRIPTION), wrapped when printed. */
  readonly description?: string;
  readonly flags: readonly FlagSpec[];
  /** Its own argv parsing (exec: flags stop at the program); parseFlags by default. */
  readonly parse?: (argv: readonly string[]) => Parsed;
  /** Returns the process exit code. */
  run(ctx: Context, parsed: Parsed): Promise<number>;
}

/** The single <container-id> argument most commands take. */
export function containerId(parsed: Parsed, command: string): string {
  if (parsed.positionals.length < 1) {
    throw new UsageError(`"${command}" requires a container id`);
  }
  return parsed.positionals[0];
}

export function exactArgs(parsed: Parsed, command: string, n: number): void {
  if (parsed.positionals.length !== n) {
    throw new UsageError(
      `"${command}" requires exactly ${n} argument${
        n === 1 ? "" : "s"
      }, got ${parsed.positionals.length}`,
    );
  }
}
