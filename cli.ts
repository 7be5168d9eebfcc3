// runo: the runc-compatible command line. Thin: parse global flags, load
// only the one command asked for, print its error in one line, pick the
// exit code. Everything else lives in lib/.
//
// Run with: deno run --allow-ffi --allow-read --allow-write --allow-env --allow-run cli.ts

// First: its evaluation marks the end of Deno's start (lib/log/trace.ts).
import { phase, startTrace, traceLines, tracing } from "./lib/log/trace.ts";
import { load } from "./lib/lazy.ts";
import { flagHelp, parseFlags, UsageError, wrapHelp } from "./lib/commands/args.ts";
import { GLOBAL_FLAGS } from "./lib/commands/global_flags.ts";
import { COMMANDS } from "./lib/commands/table.ts";
import { checkArgs, type Command } from "./lib/commands/command.ts";
import { configureLog, flushLog, log, logConfig } from "./lib/log/log.ts";
import { RUNO_VERSION } from "./lib/version.ts";
import { FileError, withFileError } from "./lib/file_error.ts";

const VERSION = RUNO_VERSION;

type CommandLoader = (name: string) => Promise<{ command: Command }>;

/** lib/commands/<name>.ts, loaded only when that command runs (lib/commands/table.ts). */
function loadCommand(name: string): Promise<{ command: Command }> {
  return load(`lib/commands/${name}.ts`);
}

/** How the bundle's entry (packaging/dispatch.ts) runs the CLI. */
export interface CliOptions {
  /** The command's module; the bundle holds only the one it was built for. */
  readonly loadCommand?: CommandLoader;
  /** When the bundle's entry ran (lib/log/trace.ts). */
  readonly dispatchedAt?: number;
  /** create, run, exec: the cgroup warming the bundle's entry started (lib/cgroups/prime.ts). */
  readonly cgroupWarm?: Disposable;
}

function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length)) + 3;
  return [
    "NAME:\n   runo - an OCI container runtime in TypeScript for Deno",
    "USAGE:\n   runo [global options] command [command options] [arguments...]",
    `VERSION:\n   ${VERSION}`,
    "COMMANDS:\n" + names.map((n) => `   ${n.padEnd(width)}${COMMANDS[n]}`).join("\n") +
    `\n   ${"help, h".padEnd(width)}shows the list of commands, or help for one command`,
    "GLOBAL OPTIONS:\n" + flagHelp(GLOBAL_FLAGS),
  ].join("\n\n");
}

function commandHelp(c: Command): string {
  const parts = [`NAME:\n   runo ${c.name} - ${c.summary}`, `USAGE:\n   ${c.usage}`];
  if (c.description) parts.push("DESCRIPTION:\n" + wrapHelp(c.description));
  if (c.flags.length) parts.push("OPTIONS:\n" + flagHelp(c.flags));
  if (c.notes) parts.push(c.notes.split("\n").map((l) => l ? `   ${l}` : l).join("\n"));
  return parts.join("\n\n");
}

/** A command's own failure, with the exit code it calls for (exec: 255). */
class CommandFailed extends Error {
  readonly exitCode: number;
  constructor(cause: unknown, exitCode: number) {
    super((cause as Error)?.message ?? String(cause), { cause });
    this.exitCode = exitCode;
  }
}

/**
 * runc opens --log at start: a path that cannot be written fails the
 * command at once, instead of losing every error an engine would read there.
 */
function openLogFile(file: string): void {
  withFileError("open --log file", file, () => {
    Deno.openSync(file, { append: true, create: true }).close();
  });
}

async function main(argv: readonly string[], opts: CliOptions): Promise<number> {
  if (envTrace()) startTrace(opts.dispatchedAt);
  phase("cli modules");
  const global = parseFlags(argv, GLOBAL_FLAGS, true);
  const g = global.values;
  if (g.debug === true) startTrace(opts.dispatchedAt);
  const format = g["log-format"] ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`invalid log format "${format}": use text or json`);
  }
  const logFile = g.log;
  if (logFile !== undefined) openLogFile(logFile);
  configureLog({ file: logFile, format, debug: g.debug === true });
  if (g.version) return await printVersion();
  const [name, ...rest] = global.positionals;
  // `runo help run` (or `runo h run`) is `runo run --help`, as in runc.
  const isHelp = name === "help" || name === "h";
  const topic = isHelp ? rest[0] : undefined;
  if (g.help || name === undefined || (isHelp && topic === undefined)) {
    console.log(mainHelp());
    return 0; // runc prints its help and exits 0 without arguments too
  }
  const wanted = topic ?? name;
  if (!Object.hasOwn(COMMANDS, wanted)) throw new UsageError(`No help topic for '${wanted}'`);
  phase("cli args");
  const { command } = await (opts.loadCommand ?? loadCommand)(wanted);
  phase(`load ${wanted}`);
  if (topic !== undefined || rest.includes("--help") || rest.includes("-h")) {
    console.log(commandHelp(command));
    return 0;
  }
  const parsed = command.parse ? command.parse(rest) : parseFlags(rest, command.flags);
  checkArgs(command, parsed);
  const rootless = g.rootless;
  // Rootless callers keep their state under $XDG_RUNTIME_DIR (lib/rootless).
  const { checkRootlessFlag, defaultStateRoot } = await load<
    typeof import("./lib/rootless/mode.ts")
  >("lib/rootless/mode.ts");
  checkRootlessFlag(rootless);
  const root = g.root ?? await defaultStateRoot(rootless);
  const systemdCgroup = g["systemd-cgroup"] === true;
  phase("command args + state root");
  try {
    const ctx = {
      root,
      debug: g.debug === true,
      systemdCgroup,
      rootless,
      cgroupWarm: opts.cgroupWarm,
    };
    return await command.run(ctx, parsed);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new CommandFailed(err, command.failureExitCode ?? 1);
  }
}

async function printVersion(): Promise<number> {
  const { versionLines } = await load<typeof import("./lib/version_info.ts")>(
    "lib/version_info.ts",
  );
  console.log((await versionLines()).join("\n"));
  return 0;
}

/**
 * The one line runo prints for an error. A Deno fs error that reached here
 * without runo's words (a path nobody wrapped) still gets them: the
 * operation and path Deno's message names, and the errno name.
 */
function errorLine(err: unknown): string {
  const cause = err instanceof CommandFailed ? err.cause : err;
  const message = (cause as Error)?.message ?? String(cause);
  const deno = /^(.*?) \(os error \d+\): (\w+) '([^']*)'/.exec(message);
  if (deno) return new FileError(deno[2], deno[3], cause).message;
  const capable = /^Requires \w+ access to "([^"]*)"/.exec(message);
  if (capable) return new FileError("use", capable[1], cause).message;
  return message.split("\n")[0];
}

/** RUNO_TRACE set (and readable: --allow-env) prints the phases on stderr. */
function envTrace(): boolean {
  try {
    return !!Deno.env.get("RUNO_TRACE");
  } catch {
    return false;
  }
}

/** The trace goes to stderr with RUNO_TRACE, else (--debug) to the log. */
async function finish(): Promise<void> {
  if (!tracing()) return await flushLog();
  phase("command, untraced rest");
  const toStderr = envTrace();
  if (!toStderr) { for (const line of traceLines()) log.debug(line); }
  await flushLog();
  if (!toStderr) return;
  phase("exit: flush log");
  Deno.stderr.writeSync(new TextEncoder().encode(traceLines().join("\n") + "\n"));
}

/** Runs the command line and exits with its code: runc's, 1 on every error but exec's own. */
export async function runCli(argv: readonly string[], opts: CliOptions = {}): Promise<never> {
  let code: number;
  try {
    code = await main(argv, opts);
  } catch (err) {
    const message = errorLine(err);
    // runc exits 1 on every error but a failed exec's own (255).
    code = err instanceof CommandFailed ? err.exitCode : 1;
    // Engines read the error from the --log file (containerd) or stderr
    // (podman): write it to both, as runc does, once each.
    if (logConfig().file) log.error(message);
    try {
      await finish();
    } catch { /* the log file itself failed; stderr still gets the error */ }
    console.error(`runo: ${message}`);
    Deno.exit(code);
  }
  await finish();
  Deno.exit(code);
}

if (import.meta.main) await runCli(Deno.args);
