// Questions about a config's linux.namespaces, asked by the rules, the
// planners and create/exec alike.
//
// Permissions: none.

import type { NamespaceType, Spec } from "./types.ts";

/** The index of the namespace of this type in linux.namespaces, or -1. */
export function namespaceIndex(spec: Spec, type: NamespaceType): number {
  return spec.linux?.namespaces?.findIndex((ns) => ns.type === type) ?? -1;
}

/** True if the config creates or joins a namespace of this type. */
export function hasNamespace(spec: Spec, type: NamespaceType): boolean {
  return namespaceIndex(spec, type) >= 0;
}

/** True if the config creates (not joins, through a path) a namespace of this type. */
export function createsNamespace(spec: Spec, type: NamespaceType): boolean {
  const i = namespaceIndex(spec, type);
  return i >= 0 && spec.linux?.namespaces?.[i].path === undefined;
}
