// Typed wrappers for runo's own host-side mount calls (c/mount_wrappers.c):
// the id of the mount a path is on, a lazy unmount of exactly a path, and
// detached copies of bind sources, and mount(2)/umount2(2) for the containerd
// shim's rootfs mounts (shim/).
// They throw SyscallError.
//
// Permissions: --allow-ffi (plus what libnsexec.ts needs to locate it).

import { nsexec } from "./libnsexec.ts";
import { cstr } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";
import { EINVAL, ENOENT } from "./errno.ts";

/** The id of the mount `path` is on (unique since Linux 6.8), as a decimal string. */
export function mountId(path: string): string {
  const out = new BigUint64Array(1);
  const rc = nsexec().runo_mount_id(cstr(path), out);
  if (rc < 0) throw new SyscallError("statx", -rc, { path });
  return String(out[0]);
}

/**
 * A detached copy of the mount at `source` (with its submounts when
 * `recursive`), opened in our namespaces: an O_CLOEXEC fd for move_mount.
 */
export function bindTree(source: string, recursive: boolean): number {
  const rc = nsexec().runo_bind_tree(cstr(source), recursive ? 1 : 0);
  if (rc < 0) throw new SyscallError("open_tree", -rc, { path: source });
  return rc;
}

/** umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW). */
export function umountDetach(path: string): void {
  const rc = nsexec().runo_umount_detach(cstr(path));
  if (rc < 0) throw new SyscallError("umount", -rc, { path });
}

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
  if (rc === -EINVAL || rc === -ENOENT) return false;
  if (rc < 0) throw new SyscallError("umount", -rc, { path: target });
  return true;
}
