// Files runo reads but does not control (config.json, exec --process,
// update -r, a container's /etc/passwd, the state under --root): regular
// files only, read with a cap, every failure one line in runo's words.
//
// Permissions: --allow-ffi.

import {
  FileTooLargeError,
  NotRegularFileError,
  type ReadOptions,
  readRegularFile,
} from "../ffi/kernfs.ts";
import { SyscallError } from "../ffi/syscall_error.ts";
import { ENOENT } from "../ffi/errno.ts";
import { FileError } from "./file_error.ts";

/** How a read is named in its error: `Cannot <action> "<path>": …`. */
export interface Described {
  readonly action: string;
  readonly path: string;
}

/**
 * A file runo does not control (config.json, exec --process, a container's
 * /etc/passwd): a regular file of at most `opts.max` bytes, null when it
 * does not exist, else one line saying why not. Never blocks on a FIFO,
 * never opens a device (ffi/kernfs.ts).
 */
export function readBoundedFileIfExists(
  path: string,
  opts: ReadOptions,
  as: Described = { action: "read", path },
): string | null {
  try {
    return readRegularFile(path, opts);
  } catch (err) {
    const why = err instanceof NotRegularFileError
      ? `it is ${err.kind}, not a regular file`
      : err instanceof FileTooLargeError
      ? `it is larger than ${sizeText(err.max)}, the most runo reads`
      : undefined;
    if (why !== undefined) throw new FileError(as.action, as.path, err, why);
    if (err instanceof SyscallError) throw new FileError(as.action, as.path, err);
    throw err;
  }
}

/** readBoundedFileIfExists, where a missing file is an error (ENOENT). */
export function readBoundedFile(
  path: string,
  opts: ReadOptions,
  as: Described = { action: "read", path },
): string {
  const text = readBoundedFileIfExists(path, opts, as);
  if (text === null) throw new FileError(as.action, as.path, new SyscallError("open", ENOENT));
  return text;
}

function sizeText(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes >> 20} MiB` : `${bytes} bytes`;
}
