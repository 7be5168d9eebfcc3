// Typed wrappers for user namespaces and namespace files
// (c/userns_wrappers.c): the type of a namespace file, and idmapped mount
// trees built in our own (host) user namespace, write access to a
// directory (rootless cgroup delegation). They throw SyscallError.
//
// Permissions: --allow-ffi (plus what libnsexec.ts needs to locate it).

import { nsexec } from "./libnsexec.ts";
import { cstr } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";
import { ENOENT, ENOTDIR } from "./errno.ts";

/** The CLONE_NEW* type of the namespace file at `path`; 0 if it is not one. */
export function namespaceType(path: string): number {
  const rc = nsexec().runo_ns_type(cstr(path));
  if (rc < 0) throw new SyscallError("open", -rc, { path });
  return rc;
}

/**
 * A detached copy of the mount at `source` (`recursive` bit 1: with its
 * submounts; bit 2: idmapping them too), idmapped through a user namespace holding the given
 * uid_map/gid_map texts: an O_CLOEXEC fd for move_mount.
 */
export function idmappedTree(
  source: string,
  recursive: number,
  uidMap: string,
  gidMap: string,
): number {
  const rc = nsexec().runo_idmapped_tree(cstr(source), recursive, cstr(uidMap), cstr(gidMap));
  if (rc < 0) throw new SyscallError("create idmapped mount of", -rc, { path: source });
  return rc;
}

/**
 * Whether our effective ids may create entries in directory `path` (a
 * cgroup a rootless user was delegated); undefined when it is missing.
 */
export function canWriteDir(path: string): boolean | undefined {
  const rc = nsexec().runo_can_write_dir(cstr(path));
  if (rc === -ENOENT || rc === -ENOTDIR) return undefined;
  if (rc < 0) throw new SyscallError("access", -rc, { path });
  return rc === 1;
}
