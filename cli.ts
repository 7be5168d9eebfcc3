// runo: the runc-compatible command line. Thin: parse global flags, load
// only the one command asked for, print its error in one line, pick the
// exit code. Everything else lives in lib/.
//
// Run with: deno run --allow-ffi --allow-read --allow-write --allow-env --allow-run cli.ts

import { load } from "./lib/lazy.ts";
import { flagHelp, type FlagSpec, parseFlags, UsageError, wrapHelp } from "./lib/commands/args.ts";
import type { Command } from "./lib/commands/command.ts";
import { configureLog, flushLog, log, logConfig } from "./lib/log/log.ts";
import { RUNO_VERSION } from "./lib/version.ts";

const VERSION = RUNO_VERSION;
const SPEC_VERSION = "1.2.0";

const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: "debug", kind: "bool", help: "enable debug logging" },
  { name: "log", kind: "string", value: "FILE", help: "set the log file to write logs to" },
  { name: "log-format", kind: "string", value: "text|json", help: "log format (default: text)" },
  { name: "root", kind: "string", value: "DIR", help: "root directory for container state" },
  { name: "systemd-cgroup", kind: "bool", help: "use systemd for cgroups (needs systemd)" },
  { name: "rootless", kind: "string", value: "true|false|auto", help: "rootless mode" },
  { name: "criu", kind: "string", value: "PATH", help: "path to criu (unused)" },
  { name: "help", alias: "h", kind: "bool", help: "show help" },
  { name: "version", alias: "v", kind: "bool", help: "print the version" },
];

// Through lib/lazy.ts: a literal import("./x.ts") would make Deno read
// and link every command's modules at start-up.
function loadCommand(name: string): Promise<{ command: Command }> {
  return load(`lib/commands/${name}.ts`);
}

// Loaded lazily so that `state` never pays for the planner, and so on.
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  create: { summary: "create a container", load: () => loadCommand("create") },
  start: {
    summary: "executes the user defined process in a created container",
    load: () => loadCommand("start"),
  },
  run: { summary: "create and run a container", load: () => loadCommand("run") },
  state: {
    summary: "output the state of a container",
    load: () => loadCommand("state"),
  },
  kill: {
    summary: "send a signal to the container's init process",
    load: () => loadCommand("kill"),
  },
  delete: {
    summary: "delete any resources held by the container",
    load: () => loadCommand("delete"),
  },
  list: {
    summary: "lists containers started by runo",
    load: () => loadCommand("list"),
  },
  pause: {
    summary: "pause suspends all processes inside the container",
    load: () => loadCommand("pause"),
  },
  resume: {
    summary: "resumes all processes that have been previously paused",
    load: () => loadCommand("resume"),
  },
  ps: {
    summary: "ps displays the processes running inside a container",
    load: () => loadCommand("ps"),
  },
  update: {
    summary: "update container resource constraints",
    load: () => loadCommand("update"),
  },
  events: {
    summary: "display container events such as OOM notifications, cpu, memory, and IO usage",
    load: () => loadCommand("events"),
  },
  exec: {
    summary: "execute new process inside the container",
    load: () => loadCommand("exec"),
  },
  spec: {
    summary: "create a new specification file",
    load: () => loadCommand("spec"),
  },
  features: {
    summary: "show the enabled features",
    load: () => loadCommand("features"),
  },
  checkpoint: {
    summary: "checkpoint a running container (not supported: no CRIU integration)",
    load: () => loadCommand("checkpoint"),
  },
  restore: {
    summary: "restore a container from a previous checkpoint (not supported)",
    load: () => loadCommand("restore"),
  },
};

function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length)) + 3;
  return [
    "NAME:\n   runo - an OCI container runtime in TypeScript for Deno",
    "USAGE:\n   runo [global options] command [command options] [arguments...]",
    `VERSION:\n   ${VERSION}`,
    "COMMANDS:\n" + names.map((n) => `   ${n.padEnd(width)}${COMMANDS[n].summary}`).join("\n"),
    "GLOBAL OPTIONS:\n" + flagHelp(GLOBAL_FLAGS),
  ].join("\n\n");
}

function commandHelp(c: Command): string {
  const parts = [`NAME:\n   runo ${c.name} - ${c.summary}`, `USAGE:\n   ${c.usage}`];
  if (c.description) parts.push("DESCRIPTION:\n" + wrapHelp(c.description));
  if (c.flags.length) parts.push("OPTIONS:\n" + flagHelp(c.flags));
  return parts.join("\n\n");
}

async function main(argv: readonly string[]): Promise<number> {
  const global = parseFlags(argv, GLOBAL_FLAGS, true);
  const g = global.values;
  const format = (g["log-format"] as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`invalid log format "${format}": use text or json`);
  }
  configureLog({ file: g.log as string | undefined, format, debug: g.debug === true });
  if (g.version) {
    console.log(`runo version ${VERSION}\nspec: ${SPEC_VERSION}\ndeno: ${Deno.version.deno}`);
    // As runc: the libseccomp line only when the library loads (lazily).
    const seccomp =
      await (await load<typeof import("./lib/features/probe.ts")>("lib/features/probe.ts"))
        .libseccompVersion();
    if (seccomp !== null) console.log(`libseccomp: ${seccomp}`);
    return 0;
  }
  const [name, ...rest] = global.positionals;
  // `runo help run` is `runo run --help`, as in runc.
  const topic = name === "help" ? rest[0] : undefined;
  if (g.help || name === undefined || (name === "help" && topic === undefined)) {
    console.log(mainHelp());
    return 0; // runc prints its help and exits 0 without arguments too
  }
  const entry = COMMANDS[topic ?? name];
  if (!entry) throw new UsageError(`No help topic for '${topic ?? name}'`);
  const { command } = await entry.load();
  if (topic !== undefined || rest.includes("--help") || rest.includes("-h")) {
    console.log(commandHelp(command));
    return 0;
  }
  const parsed = command.parse ? command.parse(rest) : parseFlags(rest, command.flags);
  const rootless = g.rootless as string | undefined;
  // Rootless callers keep their state under $XDG_RUNTIME_DIR (lib/rootless).
  const { checkRootlessFlag, defaultStateRoot } = await load<
    typeof import("./lib/rootless/mode.ts")
  >("lib/rootless/mode.ts");
  checkRootlessFlag(rootless);
  const root = (g.root as string | undefined) ?? await defaultStateRoot(rootless);
  const systemdCgroup = g["systemd-cgroup"] === true;
  return await command.run({ root, debug: g.debug === true, systemdCgroup, rootless }, parsed);
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    code = 1; // runc exits 1 on every error
    // Engines read the error from the --log file (containerd) or stderr
    // (podman): write it to both, as runc does, once each.
    if (logConfig().file) log.error(message);
    try {
      await flushLog();
    } catch { /* the log file itself failed; stderr still gets the error */ }
    console.error(`runo: ${message.split("\n")[0]}`);
    Deno.exit(code);
  }
  await flushLog();
  Deno.exit(code);
}
