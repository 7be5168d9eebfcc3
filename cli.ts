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
import { checkArgs, type Command } from "./lib/commands/command.ts";
import { configureLog, flushLog, log, logConfig } from "./lib/log/log.ts";
import { RUNO_VERSION } from "./lib/version.ts";
import { FileError, withFileError } from "./lib/file_error.ts";

const VERSION = RUNO_VERSION;

// Each command's module is lib/commands/<name>.ts, loaded only when that
// command runs (so that `state` never pays for the planner, and so on),
// through lib/lazy.ts: a literal import("./x.ts") would make Deno read and
// link every command's modules at start-up.
const COMMANDS: Record<string, string> = {
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

function loadCommand(name: string): Promise<{ command: Command }> {
  return load(`lib/commands/${name}.ts`);
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

async function main(argv: readonly string[]): Promise<number> {
  if (envTrace()) startTrace();
  phase("cli modules");
  const global = parseFlags(argv, GLOBAL_FLAGS, true);
  const g = global.values;
  if (g.debug === true) startTrace();
  const format = (g["log-format"] as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`invalid log format "${format}": use text or json`);
  }
  const logFile = g.log as string | undefined;
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
  const { command } = await loadCommand(wanted);
  phase(`load ${wanted}`);
  if (topic !== undefined || rest.includes("--help") || rest.includes("-h")) {
    console.log(commandHelp(command));
    return 0;
  }
  const parsed = command.parse ? command.parse(rest) : parseFlags(rest, command.flags);
  checkArgs(command, parsed);
  const rootless = g.rootless as string | undefined;
  // Rootless callers keep their state under $XDG_RUNTIME_DIR (lib/rootless).
  const { checkRootlessFlag, defaultStateRoot } = await load<
    typeof import("./lib/rootless/mode.ts")
  >("lib/rootless/mode.ts");
  checkRootlessFlag(rootless);
  const root = (g.root as string | undefined) ?? await defaultStateRoot(rootless);
  const systemdCgroup = g["systemd-cgroup"] === true;
  phase("command args + state root");
  try {
    return await command.run({ root, debug: g.debug === true, systemdCgroup, rootless }, parsed);
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

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
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
