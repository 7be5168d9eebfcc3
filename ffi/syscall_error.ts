// The error every FFI wrapper throws: the syscall, the errno and the path
// or object it concerned, in Deno std's message style.
//
// Permissions: none.

import { errnoName, errnoText } from "./errno.ts";

/** A system call that failed: `Cannot mount "proc" on "/proc": … (EPERM)`. */
export class SyscallError extends Error {
  /** What was attempted ("mount", "open"). */
  readonly syscall: string;
  /** The errno, positive. */
  readonly errno: number;
  /** The path or object it concerned. */
  readonly path?: string;
  /** The errno's name ("ENOENT", "EPERM"), as Node's system errors have it. */
  readonly code: string;

  /** `syscall` failed with `errno` (positive) on `context.path`. */
  constructor(syscall: string, errno: number, context: { path?: string } = {}) {
    const where = context.path === undefined ? "" : ` "${context.path}"`;
    super(`Cannot ${syscall}${where}: ${errnoText(errno)} (${errnoName(errno)})`);
    this.name = "SyscallError";
    this.syscall = syscall;
    this.errno = errno;
    this.path = context.path;
    this.code = errnoName(errno);
  }
}
