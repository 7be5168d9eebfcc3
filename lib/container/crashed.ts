// What a create that dies half-way (SIGKILL, OOM kill, a crashed engine)
// leaves for `delete --force` to find. Before the init is spawned, create
// records the container's cgroups in <dir>/creating.json; state.json comes
// only at the end. A directory with the record but no readable state.json
// is a crashed create: its processes are killed through the cgroups (the
// init may be waiting on the exec fifo, orphaned) and the cgroups removed.
// A process that never reached the cgroups is stage 0 before onSpawn: it
// reads EOF on the init pipe when runo dies, and exits.
//
// Permissions: --allow-read, --allow-write, --allow-ffi.

import type { CgroupRecord } from "../cgroups/manager.ts";
import { destroyCgroups } from "./cgroups.ts";

const FILE = "creating.json";

/** Writes the record atomically (temp + rename), before anything is spawned. */
export function recordCreating(dir: string, cgroup: CgroupRecord | undefined): void {
  if (!cgroup) return;
  Deno.writeTextFileSync(`${dir}/${FILE}.tmp`, JSON.stringify({ cgroup }));
  Deno.renameSync(`${dir}/${FILE}.tmp`, `${dir}/${FILE}`);
}

/** Kills and removes what a crashed create of this dir left; false if no record. */
export async function cleanupCrashed(dir: string): Promise<boolean> {
  let cgroup: CgroupRecord | undefined;
  try {
    cgroup = JSON.parse(Deno.readTextFileSync(`${dir}/${FILE}`)).cgroup;
  } catch {
    return false; // none, or torn: nothing was spawned after it
  }
  if (typeof cgroup?.paths !== "object" || cgroup.paths === null) return false;
  await destroyCgroups(cgroup);
  return true;
}
