// The container's own files runo reads on the host side: /etc/passwd and
// /etc/group, for `exec -u NAME` and for HOME at create and exec. The
// container controls them, so they are resolved inside its root (no
// symlink leads out), never opened before fstat says they are regular
// files (a FIFO there would block runo forever, a device node would be
// opened on the host though the container's device cgroup forbids it),
// and read with a cap.
//
// Permissions: --allow-ffi.

import { readBoundedFileIfExists } from "../bounded_file.ts";

/** Far above any real passwd or group file, far below what would hurt. */
export const ROOTFS_FILE_MAX = 4 << 20;

/** `path` inside `root` (a rootfs or /proc/<pid>/root); null when absent. */
export function readRootfsFile(root: string, path: string): string | null {
  return readBoundedFileIfExists(
    path,
    { root, resolve: "in-root", max: ROOTFS_FILE_MAX },
    { action: "read the container's", path },
  );
}
