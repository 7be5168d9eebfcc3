// mount(2) and umount2(2) for the containerd shim's rootfs mounts
// (c/shim_wrappers.c). The container's own mounts
// are the init's (c/mounts.c); these happen in the shim's namespace,
// before create, as runc's shim does them.
//
// Permissions: --allow-ffi.

import { cstr } from "./syscalls.ts";
import { nsexec } from "./libnsexec.ts";
import { SyscallError } from "./syscall_error.ts";

export const MNT_DETACH = 2;

/** mount(2); `data` is the filesystem's option string. */
export function mount(
  source: string,
  target: string,
  fstype: string,
  flags: number,
  data: string,
): void {
  const rc = nsexec().runo_mount(
    cstr(source),
    cstr(target),
    fstype ? cstr(fstype) : null,
    BigInt(flags),
    data ? cstr(data) : null,
  );
  if (rc < 0) {
    throw new SyscallError(`mount ${fstype || "bind"} "${source}" on`, -rc, { path: target });
  }
}

/** umount2(2); false when `target` is not a mount point (EINVAL) or gone (ENOENT). */
export function umount(target: string, flags = 0): boolean {
  const rc = nsexec().runo_umount2(cstr(target), flags);
  if (rc === -22 || rc === -2) return false;
  if (rc < 0) throw new SyscallError("umount", -rc, { path: target });
  return true;
}
