// create's one call into rootless mode: whether the caller is rootless
// (--rootless, lib/rootless/mode.ts), and if so the user namespace
// bootstrap fields (lib/rootless/userns.ts), the mounts it cannot have
// (lib/rootless/mounts.ts) and the cgroups to use (lib/rootless/cgroups.ts); as root, containerCgroups() unchanged.
//
// Permissions: --allow-ffi, --allow-read.

import { load } from "../lazy.ts";
import type { Spec } from "../spec/types.ts";
import { type ContainerCgroups, containerCgroups } from "../cgroups/container.ts";
import { hostCgroupLayout } from "../cgroups/host.ts";
import type { CgroupLayout } from "../cgroups/layout.ts";
import { readKernelFile } from "../../ffi/kernfs.ts";
import { isRootless } from "./mode.ts";
import { checkRootlessMounts } from "./mounts.ts";
import { HELPER_DIRS, type RootlessUserns, rootlessUserns } from "./userns.ts";

export type { RootlessUserns };

export interface RootlessSetup {
  readonly rootless: boolean;
  readonly userns: RootlessUserns;
  readonly cgroups: ContainerCgroups;
}

/** Decides everything rootless before create makes anything. */
export async function rootlessSetup(
  spec: Spec,
  id: string,
  flag: string | undefined,
  systemdCgroup: boolean | undefined,
  layout: CgroupLayout = hostCgroupLayout(),
): Promise<RootlessSetup> {
  if (!(await isRootless(flag))) {
    return {
      rootless: false,
      userns: {},
      cgroups: await containerCgroups(spec, id, systemdCgroup, false, undefined, layout),
    };
  }
  const userns = rootlessUserns(spec, effectiveIds(), findHelper);
  checkRootlessMounts(spec);
  const { rootlessCgroups } = await load<typeof import("./cgroups.ts")>("lib/rootless/cgroups.ts");
  return {
    rootless: true,
    userns,
    cgroups: await rootlessCgroups(spec, id, systemdCgroup, layout),
  };
}

function effectiveIds(): { uid: number; gid: number } {
  const status = readKernelFile("/proc/self/status");
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+\\d+\\s+(\\d+)`, "m").exec(status)?.[1]);
  return { uid: field("Uid"), gid: field("Gid") };
}

function findHelper(name: string): string | undefined {
  for (const dir of HELPER_DIRS) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // not there
    }
  }
  return undefined;
}
