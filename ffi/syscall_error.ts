// The error every FFI wrapper throws: the syscall, the errno and the path
// or object it concerned, in Deno std's message style.
//
// Permissions: none.

import { errnoName, errnoText } from "./errno.ts";

export class SyscallError extends Error {
  readonly syscall: string;
  readonly errno: number;
  readonly path?: string;

  constructor(syscall: string, errno: number, context: { path?: string } = {}) {
    const where = context.path === undefined ? "" : ` "${context.path}"`;
    super(`Cannot ${syscall}${where}: ${errnoText(errno)} (${errnoName(errno)})`);
    this.name = "SyscallError";
    this.syscall = syscall;
    this.errno = errno;
    this.path = context.path;
  }
}
