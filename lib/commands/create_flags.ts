// Flags create and run share (runc's createFlags), and their translation
// into CreateOptions.
//
// Permissions: none.

import type { FlagSpec, Parsed } from "./args.ts";
import { UsageError } from "./args.ts";
import type { Context } from "./command.ts";
import type { CreateOptions } from "../container/create.ts";
import { absolute, initLogOptions } from "./init_options.ts";

export const CREATE_FLAGS = [
  {
    name: "bundle",
    alias: "b",
    kind: "string",
    value: "DIR",
    help: "path to the root of the bundle directory (default: current directory)",
  },
  {
    name: "console-socket",
    kind: "string",
    value: "PATH",
    help: "unix socket that receives the pty master (process.terminal)",
  },
  {
    name: "pidfd-socket",
    kind: "string",
    value: "PATH",
    help: "unix socket that receives a pidfd of the container's init",
  },
  { name: "pid-file", kind: "string", value: "FILE", help: "file to write the init's pid to" },
  { name: "no-pivot", kind: "bool", help: "do not use pivot_root (for a ramdisk rootfs)" },
  { name: "no-new-keyring", kind: "bool", help: "do not create a new session keyring" },
  {
    name: "preserve-fds",
    kind: "string",
    value: "N",
    help: "pass N more fds (3 .. 3+N-1) to the container",
  },
] as const satisfies readonly FlagSpec[];

export function createOptions(
  ctx: Context,
  parsed: Parsed<typeof CREATE_FLAGS>,
  id: string,
): CreateOptions {
  const v = parsed.values;
  const preserve = v["preserve-fds"] === undefined ? 0 : Number(v["preserve-fds"]);
  if (!Number.isInteger(preserve) || preserve < 0) {
    throw new UsageError(
      `--preserve-fds must be a non-negative integer, got "${v["preserve-fds"]}"`,
    );
  }
  return {
    root: ctx.root,
    id,
    bundle: v.bundle ?? Deno.cwd(),
    pidFile: absolute(v["pid-file"]),
    consoleSocket: absolute(v["console-socket"]),
    pidfdSocket: absolute(v["pidfd-socket"]),
    noPivot: v["no-pivot"] === true,
    preserveFds: preserve,
    systemdCgroup: ctx.systemdCgroup,
    rootless: ctx.rootless,
    cgroupWarm: ctx.cgroupWarm,
    ...initLogOptions(ctx),
  };
}
