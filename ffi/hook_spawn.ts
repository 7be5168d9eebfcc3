// Typed wrapper over runo_spawn_hook (c/hook_spawn.c): start a hook with
// exactly its argv (argv[0] included) and environment, fds 0–2 given.
//
// Permissions: --allow-ffi.

import { nsexec } from "./libnsexec.ts";
import { cstr } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";

const encoder = new TextEncoder();

function list(items: readonly string[]): Uint8Array<ArrayBuffer> {
  return encoder.encode(items.map((s) => s + "\0").join(""));
}

/** Forks and execs `path`; returns the child's pid (reap it with waitpid). */
export function spawnHook(
  path: string,
  args: readonly string[],
  env: readonly string[],
  stdio: readonly [number, number, number],
): number {
  const a = list(args);
  const e = list(env);
  const rc = nsexec().runo_spawn_hook(cstr(path), new Int32Array(stdio), a, a.length, e, e.length);
  if (rc < 0) throw new SyscallError("fork/exec hook", -rc, { path });
  return rc;
}
