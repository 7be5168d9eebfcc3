// Directories under /sys (cgroupfs), through FFI (c/cgroupfs_wrappers.c):
// Deno demands --allow-all for any path under /sys, and runo ships with
// explicit flags instead.
//
// Permissions: --allow-ffi.

import { nsexec } from "./libnsexec.ts";
import { cstr } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";
import { EEXIST, ENOENT, ENOSPC } from "./errno.ts";

/** mkdir(2); an existing directory is fine. Returns true when it was made. */
export function mkdirKernel(path: string, mode = 0o755): boolean {
  const rc = nsexec().runo_mkdir(cstr(path), mode);
  if (rc === -EEXIST) return false;
  if (rc < 0) throw new SyscallError("mkdir", -rc, { path });
  return true;
}

/**
 * The child cgroups (subdirectories) of `path`; [] when it does not exist
 * (create asks before it makes the cgroup: returned, not thrown, as a
 * command's first thrown error costs ~0.3 ms cold).
 */
export function listSubdirsKernel(path: string): string[] {
  for (let size = 16384;; size *= 4) {
    const buf = new Uint8Array(size);
    const n = Number(nsexec().runo_list_subdirs(cstr(path), buf, BigInt(size)));
    if (n === -ENOSPC) continue; // a bigger buffer
    if (n === -ENOENT) return [];
    if (n < 0) throw new SyscallError("opendir", -n, { path });
    return new TextDecoder().decode(buf.subarray(0, n)).split("\0").filter((s) => s !== "");
  }
}

/** rmdir(2); the errno is kept on the error (EBUSY: processes remain). */
export function rmdirKernel(path: string): void {
  const rc = nsexec().runo_rmdir(cstr(path));
  if (rc < 0) throw new SyscallError("rmdir", -rc, { path });
}
