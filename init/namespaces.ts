// linux.namespaces → the namespace part of the bootstrap message: which
// namespaces stage 1 creates (CLONE_NEW* flags), which it joins (paths, in
// runc's join order), and the id maps stage 0 writes for a new user
// namespace. runc's configs.NamespaceTypes() order is kept for joining:
// user first (joining it first grants the rights to join the others),
// then ipc, uts, net, pid, mnt, cgroup, time.
//
// Permissions: none.

import type { IdMapping, Spec } from "../lib/spec/types.ts";
import { CLONE_FLAG, JOIN_ORDER } from "../lib/bootstrap/clone_flags.ts";

// Where the planners have always found them; the queries live with the Spec.
export { createsNamespace, hasNamespace } from "../lib/spec/namespaces.ts";

/** The namespace fields of a Bootstrap. */
export interface NamespaceBootstrap {
  readonly cloneFlags: number;
  readonly nsPaths: readonly { readonly flag: number; readonly path: string }[];
  /** Present when a user namespace is created (not joined). */
  readonly uidMap?: string;
  readonly gidMap?: string;
  /** Present when a time namespace is created and linux.timeOffsets is set. */
  readonly timensOffsets?: string;
}

/** Formats id mappings as /proc/<pid>/uid_map wants them. */
export function formatIdMap(maps: readonly IdMapping[]): string {
  return maps.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join("");
}

/**
 * Computes clone flags, join paths and id maps from linux.namespaces. As in
 * runc's bootstrapData, the maps are sent only for a user namespace that is
 * created: a joined one already has its maps.
 */
export function namespaceBootstrap(spec: Spec): NamespaceBootstrap {
  const namespaces = spec.linux?.namespaces ?? [];
  let cloneFlags = 0;
  for (const ns of namespaces) {
    if (!ns.path) cloneFlags |= CLONE_FLAG[ns.type];
  }
  const nsPaths = JOIN_ORDER.flatMap((type) =>
    namespaces
      .filter((ns) => ns.type === type && ns.path)
      .map((ns) => ({ flag: CLONE_FLAG[type], path: ns.path as string }))
  );
  const result: {
    cloneFlags: number;
    nsPaths: typeof nsPaths;
    uidMap?: string;
    gidMap?: string;
    timensOffsets?: string;
  } = { cloneFlags, nsPaths };
  if (cloneFlags & CLONE_FLAG.user) {
    const uid = spec.linux?.uidMappings ?? [];
    const gid = spec.linux?.gidMappings ?? [];
    if (uid.length > 0) result.uidMap = formatIdMap(uid);
    if (gid.length > 0) result.gidMap = formatIdMap(gid);
  }
  const offsets = spec.linux?.timeOffsets;
  if (cloneFlags & CLONE_FLAG.time && offsets && Object.keys(offsets).length > 0) {
    // /proc/self/timens_offsets: "<clock> <secs> <nanosecs>\n" per clock,
    // as runc writes it (clock names "monotonic" and "boottime").
    result.timensOffsets = Object.entries(offsets)
      .map(([clock, o]) => `${clock} ${o.secs ?? 0} ${o.nanosecs ?? 0}\n`)
      .join("");
  }
  return result;
}

/** The host id that container id `id` maps to; `id` itself without mappings. */
export function hostIdOf(maps: readonly IdMapping[] | undefined, id: number): number {
  if (!maps || maps.length === 0) return id;
  const m = maps.find((m) => id >= m.containerID && id < m.containerID + m.size);
  if (!m) throw new Error(`container id ${id} is not mapped`);
  return m.hostID + (id - m.containerID);
}
