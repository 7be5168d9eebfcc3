// Mounts a rootless container cannot have, refused before anything is made
// with the mount named (the init would otherwise fail with a bare EPERM
// half-way through the rootfs):
// - a fresh sysfs without a network namespace of the container's own
//   (the kernel wants CAP_SYS_ADMIN over the network namespace; `runo
//   spec --rootless` binds the host's /sys instead);
// - uid=/gid= mount options naming ids the user namespace does not map
//   (runc's rootlessEUIDMount check).
//
// Permissions: none.

import type { IdMapping, Spec } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";

function mapped(maps: readonly IdMapping[] | undefined, id: number): boolean {
  return (maps ?? []).some((m) => id >= m.containerID && id < m.containerID + m.size);
}

/** Throws ConfigError for the first mount a rootless container cannot have. */
export function checkRootlessMounts(spec: Spec): void {
  const ownNet = (spec.linux?.namespaces ?? []).some((ns) => ns.type === "network" && !ns.path);
  (spec.mounts ?? []).forEach((m, i) => {
    if (m.type === "sysfs" && !ownNet) {
      throw new ConfigError(
        `/mounts/${i}`,
        `a rootless container cannot mount a new sysfs on "${m.destination}" without a network namespace of its own: bind the host's /sys instead (type "none", options ["rbind", "nosuid", "noexec", "nodev", "ro"])`,
      );
    }
    for (const o of m.options ?? []) {
      const id = /^(uid|gid)=(\d+)$/.exec(o);
      if (!id) continue;
      const maps = id[1] === "uid" ? spec.linux?.uidMappings : spec.linux?.gidMappings;
      if (!mapped(maps, Number(id[2]))) {
        throw new ConfigError(
          `/mounts/${i}/options`,
          `${o}: ${id[1]} ${id[2]} is not mapped in linux.${
            id[1]
          }Mappings of the rootless container`,
        );
      }
    }
  });
}
