// The bind mounts whose tree the parent builds: idmapped binds (mount
// options "idmap"/"ridmap", per-mount uidMappings/gidMappings), with which
// maps, and, in a user namespace, every other bind (hostTreeRequests). The
// parent builds each as a detached tree in the host's namespaces
// (open_tree(OPEN_TREE_CLONE); for an idmapped one also mount_setattr
// (MOUNT_ATTR_IDMAP) with a helper user namespace holding the maps:
// ffi/userns.ts) and hands it to the init, whose plan attaches it
// (ATTACH_TREE_IN_ROOT) where the bind would have been mounted, as runc 1.2
// does. mount_setattr must run where we hold CAP_SYS_ADMIN over the
// filesystem, which the init in a user namespace of its own does not.
//
// Maps: the mount's own uidMappings/gidMappings, written to the helper
// namespace as they are; without them, the container's linux.uidMappings
// and gidMappings (runc's rule), which needs a user namespace created by
// the container. A file owned by on-disk id X is then seen as the host id
// X maps to, i.e. as X inside a container with the same mappings.
//
// Permissions: none.

import type { Mount, Spec } from "../lib/spec/types.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { formatIdMap } from "./namespaces.ts";
import { isBind, MS, parseMountOptions } from "./mount_options.ts";

/** Bits of IdmapRequest.recursive (c/userns_wrappers.c). */
export const IdmapRecursion = {
  /** open_tree(AT_RECURSIVE): the tree takes the submounts too (rbind). */
  TREE: 1,
  /** mount_setattr(AT_RECURSIVE): the submounts are idmapped too (ridmap). */
  ATTR: 2,
} as const;

/** One idmapped mount the parent builds before the init starts. */
export interface IdmapRequest {
  /** Index of the mount in config.json mounts. */
  readonly index: number;
  /** Absolute host path of the bind source. */
  readonly source: string;
  /** IdmapRecursion bits. */
  readonly recursive: number;
  /** uid_map / gid_map text of the helper user namespace. */
  readonly uidMap: string;
  readonly gidMap: string;
}

/** True when config mount `m` asks to be idmapped. */
export function wantsIdmap(m: Mount): boolean {
  if (m.uidMappings || m.gidMappings) return true;
  return parseMountOptions(m.options).idmap !== undefined;
}

/** The idmapped mounts of a config, in config order; throws ConfigError. */
export function idmapRequests(spec: Spec, bundle: string): IdmapRequest[] {
  const out: IdmapRequest[] = [];
  (spec.mounts ?? []).forEach((m, i) => {
    if (!wantsIdmap(m)) return;
    const opts = parseMountOptions(m.options);
    if (!isBind(opts) && m.type !== "bind") {
      throw new ConfigError(`/mounts/${i}/options`, "Idmapped mounts must be bind mounts");
    }
    const source = m.source ?? "";
    if (source === "") throw new ConfigError(`/mounts/${i}/source`, "A bind mount needs a source");
    const uid = m.uidMappings ?? ownsUserns(spec) ?? [];
    const gid = m.gidMappings ?? (ownsUserns(spec) ? spec.linux?.gidMappings : undefined) ?? [];
    if (uid.length === 0 || gid.length === 0) {
      throw new ConfigError(
        `/mounts/${i}/options`,
        "An idmapped mount needs uidMappings and gidMappings on the mount, or a new user namespace with linux.uidMappings and linux.gidMappings",
      );
    }
    out.push({
      index: i,
      source: source.startsWith("/") ? source : `${bundle}/${source}`,
      recursive: (opts.flags & MS.REC ? IdmapRecursion.TREE : 0) |
        (opts.idmap === "ridmap" ? IdmapRecursion.ATTR : 0),
      uidMap: formatIdMap(uid),
      gidMap: formatIdMap(gid),
    });
  });
  return out;
}

/** linux.uidMappings when the container creates its user namespace. */
function ownsUserns(spec: Spec) {
  const creates = (spec.linux?.namespaces ?? []).some((ns) => ns.type === "user" && !ns.path);
  return creates ? spec.linux?.uidMappings : undefined;
}

/** A bind whose source the parent opens as a plain detached tree. */
export interface HostTreeRequest {
  /** Index of the mount in config.json mounts. */
  readonly index: number;
  /** Absolute host path of the bind source. */
  readonly source: string;
  /** rbind: the tree takes the submounts too. */
  readonly recursive: boolean;
}

/**
 * The binds whose source runo opens itself, in the host's namespaces, as a
 * detached tree for the init to attach (runc's mount-fds): in a user
 * namespace the init resolves a bind source as that namespace's root, and
 * a root-owned 0700 directory on the way refuses it (EACCES). Not when runo
 * is rootless (open_tree would be refused it, and the init reaches what
 * runo reaches), and not for idmapped mounts, which have their own tree.
 */
export function hostTreeRequests(
  spec: Spec,
  bundle: string,
  rootless: boolean,
): HostTreeRequest[] {
  const userns = (spec.linux?.namespaces ?? []).some((ns) => ns.type === "user");
  if (!userns || rootless) return [];
  return (spec.mounts ?? []).flatMap((m, i) => {
    const opts = parseMountOptions(m.options);
    if ((!isBind(opts) && m.type !== "bind") || wantsIdmap(m) || !m.source) return [];
    const source = m.source.startsWith("/") ? m.source : `${bundle}/${m.source}`;
    return [{ index: i, source, recursive: (opts.flags & MS.REC) !== 0 }];
  });
}
