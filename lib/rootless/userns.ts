// How the user namespace of a container is set up when runo is not host
// root, decided here and carried out by stage 0 (nsexec.c, c/idmap.c):
// - a rootless container must have a user namespace (created or joined):
//   without one, every namespace and mount below would need host root;
// - a created one whose maps are a single line mapping the caller's own
//   effective id may be written directly (the kernel allows exactly that
//   to an unprivileged writer); anything else — several ranges, other ids,
//   the subordinate ids of /etc/subuid — needs the setuid newuidmap and
//   newgidmap of shadow (Debian package uidmap), whose paths go in the
//   bootstrap, as runc does;
// - a gid map written directly by an unprivileged writer requires
//   "deny" in /proc/<pid>/setgroups first, so the container then cannot
//   call setgroups(2) (Bootstrap.setgroupsDeny; the planner drops SETGROUPS).
// As root (not rootless) the maps are always written directly.
//
// Permissions: none.

import type { IdMapping, Spec } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";

/** The bootstrap fields a rootless user namespace adds. */
export interface RootlessUserns {
  readonly uidmapPath?: string;
  readonly gidmapPath?: string;
  readonly setgroupsDeny?: boolean;
}

/** Where the map helpers are looked for, in order. */
export const HELPER_DIRS = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

/** True when `maps` is exactly one line mapping the single id `own`. */
export function selfMapOnly(maps: readonly IdMapping[] | undefined, own: number): boolean {
  return maps?.length === 1 && maps[0].size === 1 && maps[0].hostID === own;
}

/**
 * The rootless bootstrap fields for `spec`, run by effective ids `ids`;
 * `findHelper` returns a helper's path or undefined. Throws ConfigError.
 */
export function rootlessUserns(
  spec: Spec,
  ids: { readonly uid: number; readonly gid: number },
  findHelper: (name: string) => string | undefined,
): RootlessUserns {
  const namespaces = spec.linux?.namespaces ?? [];
  const user = namespaces.findIndex((ns) => ns.type === "user");
  if (user < 0) {
    throw new ConfigError(
      "/linux/namespaces",
      'a rootless container needs a user namespace: add {"type": "user"} with linux.uidMappings and linux.gidMappings',
    );
  }
  if (namespaces[user].path) return {};
  const helper = (name: string, field: string) => {
    const path = findHelper(name);
    if (path) return path;
    throw new ConfigError(
      `/linux/${field}`,
      `mapping ids other than the caller's own needs ${name} (Debian package uidmap), which was not found in ${
        HELPER_DIRS.join(", ")
      }`,
    );
  };
  const uidDirect = selfMapOnly(spec.linux?.uidMappings, ids.uid);
  const gidDirect = selfMapOnly(spec.linux?.gidMappings, ids.gid);
  return {
    ...(uidDirect ? {} : { uidmapPath: helper("newuidmap", "uidMappings") }),
    ...(gidDirect ? { setgroupsDeny: true } : { gidmapPath: helper("newgidmap", "gidMappings") }),
  };
}
