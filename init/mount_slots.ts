// Mount slots: the mounts whose later operations (after other mounts, or
// after pivot_root) act on an fd the init kept when it made them, instead
// of resolving their destination again (see init/mounts.ts). The slot
// numbers are decided here; the C init only keeps and uses them.
//
// Permissions: none.

import type { Spec } from "../lib/spec/types.ts";
import { MAX_MOUNT_SLOTS } from "../lib/bootstrap/ids.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { MS, parseMount } from "./mount_options.ts";
import { cleanPath } from "./mount_paths.ts";

/** tmpfs and /dev are still written to until finalizeRootfs. */
export function writableUntilFinalize(type: string, dest: string): boolean {
  return type === "tmpfs" || dest === "/dev";
}

/**
 * The mounts whose later operations act on a kept mount slot, by config
 * index → slot, numbered densely in config order: a tmpfs or /dev mount
 * remounted read-only or given recursive attributes after pivot_root
 * (finalizeMountOps), and a cgroup mount with recursive attributes, which
 * act on its first mount after the hierarchies made under it.
 */
export function mountSlots(spec: Spec): ReadonlyMap<number, number> {
  const slots = new Map<number, number>();
  (spec.mounts ?? []).forEach((m, i) => {
    const { opts, type } = parseMount(m);
    const late = writableUntilFinalize(type, cleanPath(m.destination)) &&
      ((opts.flags & MS.RDONLY) !== 0 || opts.recAttr !== undefined);
    if (!late && !(type === "cgroup" && opts.recAttr)) return;
    if (slots.size === MAX_MOUNT_SLOTS) {
      throw new ConfigError(
        `/mounts/${i}`,
        `Cannot keep more than ${MAX_MOUNT_SLOTS} read-only tmpfs or recursive-attribute mounts`,
      );
    }
    slots.set(i, slots.size);
  });
  return slots;
}
