// Deno's file-system errors in runo's words. Deno says
// `No such file or directory (os error 2): writefile '/x/pid.runo-tmp'` or
// `Requires all access to "/proc/x", run again with the --allow-all flag`;
// runo says what it was doing, with the user's path and the errno name:
// `Cannot write --pid-file "/x/pid": No such file or directory (ENOENT)`.
//
// Permissions: none.

import { errnoName, errnoNumber, errnoText } from "../ffi/errno.ts";
import { SyscallError } from "../ffi/syscall_error.ts";

/** A file-system call that failed, in runo's words, with the user's path. */
export class FileError extends Error {
  /** The path as the user gave it. */
  readonly path: string;
  /** The errno name ("ENOENT"), or undefined when no syscall failed. */
  readonly code?: string;

  /** `reason` replaces the description of `cause` when given. */
  constructor(action: string, path: string, cause: unknown, reason?: string) {
    const described = describe(cause);
    super(`Cannot ${action} "${path}": ${reason ?? described.reason}`, { cause });
    const code = reason === undefined ? described.code : undefined;
    this.name = "FileError";
    this.path = path;
    this.code = code;
  }
}

/** errno of a Deno error: its `code`, else the "(os error N)" of its message. */
function errnoOf(err: unknown): number | undefined {
  if (err instanceof SyscallError) return err.errno;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string") return errnoNumber(code);
  const m = /\(os error (\d+)\)/.exec(err instanceof Error ? err.message : "");
  return m ? Number(m[1]) : undefined;
}

function describe(err: unknown): { reason: string; code?: string } {
  const errno = errnoOf(err);
  if (errno !== undefined) {
    return { reason: `${errnoText(errno)} (${errnoName(errno)})`, code: errnoName(errno) };
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string") return { reason: code, code };
  if (err instanceof Deno.errors.NotCapable) {
    // Deno refuses /proc, /sys and /dev (symlinks resolved) to any
    // permission flag short of --allow-all, which runo never asks for.
    return { reason: "runo does not use paths under /proc, /sys or /dev for its files" };
  }
  return { reason: (err instanceof Error ? err.message : String(err)).split("\n")[0] };
}

/** "No such file or directory (ENOENT)" for a Deno or FFI error. */
export function fsReason(err: unknown): string {
  return describe(err).reason;
}

/** True when `err` is one of Deno's fs errors (or a FileError already). */
export function isFsError(err: unknown): boolean {
  return err instanceof FileError || err instanceof Deno.errors.NotCapable ||
    errnoOf(err) !== undefined;
}

/** Runs `fn`; a Deno fs error it throws becomes a FileError about `path`. */
export function withFileError<T>(action: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FileError || !isFsError(err)) throw err;
    throw new FileError(action, path, err);
  }
}
