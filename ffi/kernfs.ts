// Reads and writes of kernel pseudo-files (procfs, cgroupfs) through FFI:
// Deno demands --allow-all for any path under /proc and /sys, and runo
// ships with explicit flags instead.
//
// Permissions: --allow-ffi.

import { nsexec } from "./libnsexec.ts";
import { cstr } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";

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
  const c = cstr(path);
  let buf = scratch ??= new Uint8Array(SCRATCH);
  let size = Math.min(max, SCRATCH);
  let n = Number(kernfs().runo_read_file(c, buf, BigInt(size)));
  if (n === size && max > size) {
    buf = new Uint8Array(max);
    size = max;
    n = Number(kernfs().runo_read_file(c, buf, BigInt(size)));
  }
  if (n < 0) throw new SyscallError("read", -n, { path });
  return decoder.decode(buf.subarray(0, n));
}

/** Like readKernelFile, but null when the file does not exist. */
export function readKernelFileIfExists(path: string, max = 65536): string | null {
  try {
    return readKernelFile(path, max);
  } catch (err) {
    if (err instanceof SyscallError && (err.errno === 2 || err.errno === 3)) return null;
    throw err;
  }
}

/** Writes `data` with one write(2), as cgroupfs and procfs expect. */
export function writeKernelFile(path: string, data: string): void {
  const bytes = new TextEncoder().encode(data);
  const n = Number(kernfs().runo_write_file(cstr(path), bytes, BigInt(bytes.length)));
  if (n < 0) throw new SyscallError("write", -n, { path });
}

/** writeKernelFile on a thread of Deno's blocking pool, for writes that may wait. */
export async function writeKernelFileAsync(path: string, data: string): Promise<void> {
  const bytes = new TextEncoder().encode(data);
  const n = await kernfs().runo_write_file_async(cstr(path), bytes, BigInt(bytes.length));
  if (n < 0) throw new SyscallError("write", -n, { path });
}

/**
 * A file of a container's rootfs, read with every symlink resolved inside
 * `root` (openat2 RESOLVE_IN_ROOT); null when it does not exist.
 */
export function readFileInRoot(root: string, path: string, max = 1 << 20): string | null {
  const buf = new Uint8Array(max);
  const n = Number(kernfs().runo_read_file_in_root(cstr(root), cstr(path), buf, BigInt(max)));
  if (n === -2) return null;
  if (n < 0) throw new SyscallError("read", -n, { path: `${root}${path}` });
  return decoder.decode(buf.subarray(0, n));
}
