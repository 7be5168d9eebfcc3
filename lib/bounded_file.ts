// Files runo reads but does not control (config.json, exec --process,
// update -r, a container's /etc/passwd, the state under --root): regular
// files only, read with a cap, every failure one line in runo's words. A
// file the caller names on the command line may also be a FIFO.
//
// Permissions: --allow-ffi; --allow-read for a FIFO.

import {
  FileTooLargeError,
  NotRegularFileError,
  type ReadOptions,
  readRegularFile,
  S_IFIFO,
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
      ? tooLarge(err.max)
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

/**
 * readBoundedFile of a file the caller names (exec --process): a FIFO, as
 * `-p <(…)` or `-p /dev/stdin` on a pipe give, is read to its end, as runc
 * reads it, still capped at `opts.max`. A bundle's files (which an image can
 * make FIFOs) stay regular files only.
 */
export function readCallerFile(path: string, opts: ReadOptions, as: Described): string {
  try {
    return readBoundedFile(path, opts, as);
  } catch (err) {
    const fifo = err instanceof FileError && err.cause instanceof NotRegularFileError &&
      err.cause.type === S_IFIFO;
    if (!fifo) throw err;
    return readFifo(path, opts.max, as);
  }
}

function readFifo(path: string, max: number, as: Described): string {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (err) {
    throw new FileError(as.action, as.path, err);
  }
  try {
    const text = readStreamUpTo(file, max);
    if (text === null) {
      throw new FileError(as.action, as.path, new FileTooLargeError(path, max), tooLarge(max));
    }
    return text;
  } finally {
    file.close();
  }
}

/** A stream (a FIFO, stdin) read to its end: its text, or null once it passes `max` bytes. */
export function readStreamUpTo(
  stream: { readSync(p: Uint8Array): number | null },
  max: number,
): string | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(64 * 1024);
    const n = stream.readSync(chunk);
    if (n === null) break;
    total += n;
    if (total > max) return null;
    chunks.push(chunk.subarray(0, n));
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

function tooLarge(max: number): string {
  return `it is larger than ${sizeText(max)}, the most runo reads`;
}

function sizeText(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes >> 20} MiB` : `${bytes} bytes`;
}
