// runo exec [command options] <container-id> <command> [command options]
// Flags come before the id or between it and the command; the first
// positional after the id starts the command, so `runo exec id sh -c x`
// passes -c to sh.
//
// Permissions: as lib/container/exec.ts.
import { defineCommand } from "./command.ts";
import { type FlagSpec, mergeValues, type Parsed, parseFlags, UsageError } from "./args.ts";
import { execInContainer } from "../container/exec.ts";
import { parseExecProcess } from "../spec/parse_process.ts";
import { CONFIG_MAX } from "../spec/config_max.ts";
import { readCallerFile } from "../bounded_file.ts";
import { ConfigError } from "../spec/config_error.ts";
import type { Process } from "../spec/types.ts";
import { absolute, initLogOptions } from "./init_options.ts";
import { parseSubCgroups } from "../process/sub_cgroups.ts";

const FLAGS = [
  {
    name: "console-socket",
    kind: "string",
    value: "PATH",
    help: "unix socket that receives the pty master",
  },
  { name: "cwd", kind: "string", value: "DIR", help: "current working directory in the container" },
  {
    name: "env",
    alias: "e",
    kind: "list",
    value: "NAME=VALUE",
    help: "set an environment variable (repeatable)",
  },
  { name: "tty", alias: "t", kind: "bool", help: "allocate a pseudo-TTY" },
  {
    name: "user",
    alias: "u",
    kind: "string",
    value: "UID[:GID]",
    help: "user (uid or name) and group",
  },
  {
    name: "additional-gids",
    alias: "g",
    kind: "list",
    value: "GID",
    help: "additional gid (repeatable)",
  },
  { name: "process", alias: "p", kind: "string", value: "FILE", help: "path to a process.json" },
  { name: "detach", alias: "d", kind: "bool", help: "detach from the container's process" },
  { name: "pid-file", kind: "string", value: "FILE", help: "file to write the process id to" },
  {
    name: "pidfd-socket",
    kind: "string",
    value: "PATH",
    help: "unix socket that receives a pidfd of the process",
  },
  { name: "process-label", kind: "string", value: "LABEL", help: "SELinux label for the process" },
  { name: "apparmor", kind: "string", value: "PROFILE", help: "AppArmor profile for the process" },
  { name: "no-new-privs", kind: "bool", help: "set no_new_privs for the process" },
  { name: "cap", alias: "c", kind: "list", value: "CAP", help: "add a capability (repeatable)" },
  { name: "preserve-fds", kind: "string", value: "N", help: "pass N more fds (3 .. 3+N-1)" },
  { name: "ignore-paused", kind: "bool", help: "exec even if the container is paused" },
  {
    name: "cgroup",
    kind: "list",
    value: "[CONTROLLER:]PATH",
    help: "run the process in an existing sub-cgroup of the container's (repeatable)",
  },
] as const satisfies readonly FlagSpec[];

/** Flags up to the id, then flags up to the command. */
export function parseExecArgs(argv: readonly string[]): Parsed<typeof FLAGS> {
  const head = parseFlags(argv, FLAGS, true);
  const [id, ...tail] = head.positionals;
  if (id === undefined) return head;
  const rest = parseFlags(tail, FLAGS, true);
  return { values: mergeValues(head.values, rest.values), positionals: [id, ...rest.positionals] };
}

function nonNegative(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${flag} must be a non-negative integer, got "${text}"`);
  }
  return n;
}

function readProcessFile(path: string): Process {
  const text = readCallerFile(path, { max: CONFIG_MAX }, { action: "read --process file", path });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError("", `Cannot parse it: ${(err as Error).message}`, { file: path });
  }
  try {
    return parseExecProcess(json);
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new ConfigError(err.pointer, err.reason, { file: path, cause: err });
    }
    throw err;
  }
}

export const command = defineCommand({
  name: "exec",
  usage: "runo exec [command options] <container-id> <command> [command options]",
  summary: "execute new process inside the container",
  args: { min: 1 },
  failureExitCode: 255,
  description:
    "The exec command runs a new process inside a running container. The first argument after <container-id> starts the command; everything after it is the command's own arguments. The container's process config is the default; the flags or --process (a process.json) change it.",
  flags: FLAGS,
  parse: parseExecArgs,
  async run(ctx, parsed) {
    const v = parsed.values;
    const [id, ...args] = parsed.positionals;
    if (id === undefined) throw new UsageError('"exec" requires a container id');
    const processFile = v.process;
    if (processFile === undefined && args.length === 0) {
      throw new UsageError('"exec" requires a command to run after the container id');
    }
    const gids = (v["additional-gids"] ?? []).map((g) => {
      const n = nonNegative(g, "additional-gids");
      if (n === undefined || n > 0xffffffff) {
        throw new UsageError(`invalid --additional-gids "${g}"`);
      }
      return n;
    });
    return await execInContainer({
      root: ctx.root,
      id,
      request: {
        args,
        process: processFile === undefined ? undefined : readProcessFile(processFile),
        tty: v.tty,
        cwd: v.cwd,
        env: v.env ?? [],
        user: v.user,
        additionalGids: gids,
        caps: v.cap ?? [],
        noNewPrivs: v["no-new-privs"],
        apparmor: v.apparmor,
        processLabel: v["process-label"],
      },
      detach: v.detach === true,
      pidFile: absolute(v["pid-file"]),
      consoleSocket: absolute(v["console-socket"]),
      pidfdSocket: absolute(v["pidfd-socket"]),
      preserveFds: nonNegative(v["preserve-fds"], "preserve-fds"),
      ignorePaused: v["ignore-paused"] === true,
      subCgroups: parseSubCgroups(v.cgroup ?? []),
      cgroupWarm: ctx.cgroupWarm,
      ...initLogOptions(ctx),
    });
  },
});
