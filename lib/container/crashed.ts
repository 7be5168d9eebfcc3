// What a create that dies half-way (SIGKILL, OOM kill, a crashed engine)
// leaves for `delete --force` to find. Before the init is spawned, create
// records the container's cgroups in <dir>/creating.json; state.json comes
// only at the end. A directory with the record but no readable state.json
// is a crashed create: its processes are killed through the cgroups (the
// init may be waiting on the exec fifo, orphaned) and the cgroups removed.
// A process that never reached the cgroups is stage 0 before onSpawn: it
// reads EOF on the init pipe when runo dies, and exits. A container
// without a mount namespace also records its rootfs and the mount that
// was on it before the init ran: a different mount there now is the
// init's bind on the host (lib/container/host_rootfs.ts), detached here.
//
// Permissions: --allow-read, --allow-write, --allow-ffi.

import type { CgroupRecord } from "../cgroups/manager.ts";
import { destroyCgroups } from "./cgroups.ts";
import { type HostRootfsBefore, undoHostRootfs } from "./host_rootfs.ts";
import { writeAtomic } from "../state/atomic_file.ts";

const FILE = "creating.json";

/** What a crashed create leaves for delete --force to undo. */
interface CreatingRecord {
  readonly cgroup?: CgroupRecord;
  readonly hostRootfs?: HostRootfsBefore;
}

/** Writes the record atomically (temp + rename), before anything is spawned. */
export function recordCreating(dir: string, record: CreatingRecord): void {
  if (!record.cgroup && !record.hostRootfs) return;
  writeAtomic("create record", `${dir}/${FILE}`, JSON.stringify(record), 0o600);
}

/** Kills and removes what a crashed create of this dir left; false if no record. */
export async function cleanupCrashed(dir: string): Promise<boolean> {
  let record: CreatingRecord;
  try {
    record = JSON.parse(Deno.readTextFileSync(`${dir}/${FILE}`));
  } catch {
    return false; // none, or torn: nothing was spawned after it
  }
  const { cgroup, hostRootfs } = record ?? {};
  const hasCgroup = typeof cgroup?.paths === "object" && cgroup.paths !== null;
  if (hasCgroup) await destroyCgroups(cgroup);
  // After the kill: no process of the container keeps the bind busy.
  if (typeof hostRootfs?.rootfs === "string" && typeof hostRootfs.before === "string") {
    undoHostRootfs(hostRootfs);
  }
  return hasCgroup || hostRootfs !== undefined;
}
