// Reads and writes of kernel pseudo-files (procfs, cgroupfs) through FFI:
// Deno demands --allow-all for any path under /proc and /sys, and runo
// ships with explicit flags instead.
//
// Permissions: --allow-ffi.

import { nsexec } from "./libnsexec.ts";
import { cstr } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";
import { EFBIG, EINVAL, ENOENT, ESRCH } from "./errno.ts";

const decoder = new TextDecoder();

const kernfs = nsexec;

// One scratch buffer for every read: a fresh 1 MB buffer per cgroup file
// read cost ~0.15 ms each in allocation and GC (a create reads ~20).
const SCRATCH = 65536;
let scratch: Uint8Array<ArrayBuffer> | undefined;

/**
 * The text of a small kernel file (up to `max` bytes). Read into the
 * scratch buffer first; a file that fills it is read again into one of
 * `max` bytes.
 */
export function readKernelFile(path: string, max = 65536): string {
  const text = readOrErrno(path, max);
  if (typeof text === "number") throw new SyscallError("read", text, { path });
  return text;
}

/**
 * Like readKernelFile, but null when the file does not exist. The errno is
 * looked at before any error is made: a missing file is this function's
 * common case, and a command's first thrown error costs ~0.3 ms cold.
 */
export function readKernelFileIfExists(path: string, max = 65536): string | null {
  const text = readOrErrno(path, max);
  if (typeof text !== "number") return text;
  if (text === ENOENT || text === ESRCH) return null;
  throw new SyscallError("read", text, { path });
}

/** The file's text, or the errno of the failed read. */
function readOrErrno(path: string, max: number): string | number {
  const c = cstr(path);
  let buf = scratch ??= new Uint8Array(SCRATCH);
  let size = Math.min(max, SCRATCH);
  let n = Number(kernfs().runo_read_file(c, buf, BigInt(size)));
  if (n === size && max > size) {
    buf = new Uint8Array(max);
    size = max;
    n = Number(kernfs().runo_read_file(c, buf, BigInt(size)));
  }
  return n < 0 ? -n : decoder.decode(buf.subarray(0, n));
}

/** Writes `data` with one write(2), as cgroupfs and procfs expect. */
export function writeKernelFile(path: string, data: string): void {
  const bytes = new TextEncoder().encode(data);
  const n = Number(kernfs().runo_write_file(cstr(path), bytes, BigInt(bytes.length)));
  if (n < 0) throw new SyscallError("write", -n, { path });
}

const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;
const KINDS: Record<number, string> = {
  [S_IFIFO]: "a FIFO",
  0o020000: "a character device",
  0o040000: "a directory",
  0o060000: "a block device",
  0o120000: "a symlink",
  0o140000: "a socket",
};

/** The path is there but is not a regular file (it was never opened for reading). */
export class NotRegularFileError extends Error {
  readonly path: string;
  /** "a FIFO", "a character device", … */
  readonly kind: string;
  /** Its st_mode & S_IFMT (S_IFIFO, …). */
  readonly type: number;
  constructor(path: string, mode: number) {
    const kind = KINDS[mode & S_IFMT] ?? `of type ${(mode & S_IFMT).toString(8)}`;
    super(`"${path}" is ${kind}, not a regular file`);
    this.name = "NotRegularFileError";
    this.path = path;
    this.kind = kind;
    this.type = mode & S_IFMT;
  }
}

/** The file holds more than the reader's cap. */
export class FileTooLargeError extends Error {
  readonly path: string;
  readonly max: number;
  constructor(path: string, max: number) {
    super(`"${path}" is larger than ${max} bytes`);
    this.name = "FileTooLargeError";
    this.path = path;
    this.max = max;
  }
}

/**
 * How a path is resolved: as given ("follow"); inside `root`, every
 * symlink resolved there as if `root` were / ("in-root", a container's
 * rootfs); or beneath `root` through no symlink at all ("beneath", the
 * state runo keeps under --root).
 */
export type Resolve = "follow" | "in-root" | "beneath";
const RESOLVE: Record<Resolve, number> = { follow: 0, "in-root": 1, beneath: 2 };

export interface ReadOptions {
  /** Bytes at most (FileTooLargeError beyond). */
  readonly max: number;
  readonly resolve?: Resolve;
  /** The directory "in-root" and "beneath" start from. */
  readonly root?: string;
}

/**
 * A regular file's text, null when it does not exist. Opened O_PATH first
 * and checked with fstat, so a FIFO is never opened (no read can block)
 * and a device never reaches its driver (NotRegularFileError); then read
 * through that fd, at most `max` bytes (FileTooLargeError beyond).
 */
export function readRegularFile(path: string, opts: ReadOptions): string | null {
  const resolve = opts.resolve ?? "follow";
  const shown = resolve === "follow" ? path : `${opts.root}/${path.replace(/^\/+/, "")}`;
  const root = resolve === "follow" ? null : cstr(opts.root ?? "/");
  const info = new BigUint64Array(2);
  const attempt = (buf: Uint8Array<ArrayBuffer>) =>
    Number(
      kernfs().runo_read_regular(root, cstr(path), buf, BigInt(buf.length), info, RESOLVE[resolve]),
    );
  // Small files (almost all) in the scratch buffer; a larger one once more
  // into a buffer of its size.
  let buf = scratch ??= new Uint8Array(SCRATCH);
  if (opts.max < buf.length) buf = new Uint8Array(opts.max);
  let n = attempt(buf);
  if (n === -EFBIG && Number(info[1]) <= opts.max && buf.length < opts.max) {
    buf = new Uint8Array(Math.min(opts.max, Number(info[1]) + 4096));
    n = attempt(buf);
  }
  if (n === -ENOENT) return null;
  if (n === -EINVAL && info[0] !== 0n && (Number(info[0]) & S_IFMT) !== 0o100000) {
    throw new NotRegularFileError(shown, Number(info[0]));
  }
  if (n === -EFBIG) throw new FileTooLargeError(shown, opts.max);
  if (n < 0) throw new SyscallError("open", -n, { path: shown });
  return decoder.decode(buf.subarray(0, n));
}

/** statfs(2)'s f_type of `path` (CGROUP2_SUPER_MAGIC, CGROUP_SUPER_MAGIC, …). */
export function fsType(path: string): number {
  const n = Number(kernfs().runo_statfs_type(cstr(path)));
  if (n < 0) throw new SyscallError("statfs", -n, { path });
  return n;
}
