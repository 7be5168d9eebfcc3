// Runs the hooks of one phase in the runtime's namespaces (prestart,
// createRuntime, poststart, poststop), one after another as runc does: the
// state JSON on stdin, exactly hook.env as the environment, args[0] as
// argv[0], SIGKILL when hook.timeout seconds pass. Output (stdout and
// stderr) goes to a temp file and is quoted in the error, as runc quotes
// its captured output.
//
// Permissions: --allow-ffi (fork/exec, waitpid), --allow-write and
// --allow-read (temp files).

import type { Hook, Hooks } from "../spec/types.ts";
import { hookArgv, type HookPhase } from "../spec/hooks.ts";
import { spawnHook } from "../../ffi/hook_spawn.ts";
import {
  close,
  exitCodeOf,
  kill,
  O_CLOEXEC,
  O_RDONLY,
  O_WRONLY,
  open,
  waitpidAsync,
} from "../../ffi/syscalls.ts";

/** An OCI hook that failed, timed out or could not run. */
export class HookError extends Error {
  /** For a program to switch on: always HOOK_FAILED. */
  readonly code = "HOOK_FAILED";
  /** The hook's phase (prestart, createRuntime, poststart…). */
  readonly phase: HookPhase;
  /** Its index in that phase's list. */
  readonly index: number;
  /** Its program. */
  readonly path: string;
  /** The failure of hook `index` of `phase`, running `path`. */
  constructor(phase: HookPhase, index: number, path: string, message: string) {
    super(`${phase} hook[${index}] "${path}": ${message}`);
    this.name = "HookError";
    this.phase = phase;
    this.index = index;
    this.path = path;
  }
}

/** Runs every hook of `phase` in order; throws HookError at the first failure. */
export async function runHooks(
  hooks: Hooks | undefined,
  phase: HookPhase,
  state: string,
): Promise<void> {
  const list = hooks?.[phase] ?? [];
  for (let i = 0; i < list.length; i++) await runHook(list[i], phase, i, state);
}

/** Like runHooks, but every hook runs; failures are returned, not thrown. */
export async function runHooksLenient(
  hooks: Hooks | undefined,
  phase: HookPhase,
  state: string,
): Promise<HookError[]> {
  const errors: HookError[] = [];
  const list = hooks?.[phase] ?? [];
  for (let i = 0; i < list.length; i++) {
    try {
      await runHook(list[i], phase, i, state);
    } catch (err) {
      if (!(err instanceof HookError)) throw err;
      errors.push(err);
    }
  }
  return errors;
}

async function runHook(hook: Hook, phase: HookPhase, index: number, state: string) {
  const input = Deno.makeTempFileSync({ prefix: "runo-hook-in-" });
  const output = Deno.makeTempFileSync({ prefix: "runo-hook-out-" });
  try {
    Deno.writeTextFileSync(input, state);
    const fail = (msg: string) => new HookError(phase, index, hook.path, msg);
    const status = await spawnAndWait(hook, input, output, fail);
    if (status === "timeout") {
      throw fail(`killed after its timeout of ${hook.timeout}s${quote(output)}`);
    }
    const code = exitCodeOf(status);
    if (code !== 0) {
      const what = code === 127 ? "exit status 127 (cannot execute?)" : `exit status ${code}`;
      throw fail(`${what}${quote(output)}`);
    }
  } finally {
    Deno.removeSync(input);
    Deno.removeSync(output);
  }
}

async function spawnAndWait(
  hook: Hook,
  input: string,
  output: string,
  fail: (msg: string) => HookError,
): Promise<number | "timeout"> {
  const stdin = open(input, O_RDONLY | O_CLOEXEC);
  let pid: number;
  try {
    const out = open(output, O_WRONLY | O_CLOEXEC);
    try {
      pid = spawnHook(hook.path, hookArgv(hook), hook.env ?? [], [stdin, out, out]);
    } catch (err) {
      throw fail((err as Error).message);
    } finally {
      close(out);
    }
  } finally {
    close(stdin);
  }
  const exited = waitpidAsync(pid).then((r) => r.status);
  if (hook.timeout === undefined) return await exited;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), hook.timeout! * 1000);
  });
  try {
    const first = await Promise.race([exited, expired]);
    if (first !== "timeout") return first;
    kill(pid, 9);
    await exited;
    return "timeout";
  } finally {
    clearTimeout(timer);
  }
}

/** The tail of the hook's output, for the error message. */
function quote(file: string): string {
  let text = "";
  try {
    text = Deno.readTextFileSync(file).trim();
  } catch {
    return "";
  }
  if (text === "") return "";
  const tail = text.length > 512 ? "…" + text.slice(-512) : text;
  return `, output: ${JSON.stringify(tail)}`;
}
