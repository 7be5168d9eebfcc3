// linux.intelRdt through the resctrl filesystem (runtime spec
// config-linux.md "IntelRdt", runc's libcontainer/intelrdt): the group is
// <resctrl>/<closID or the container id>; l3CacheSchema, memBwSchema and
// schemata are written, one per line, to its `schemata`; the init's pid
// goes to its `tasks` (children follow); enableMonitoring adds a
// mon_groups/<id> group holding the container alone. A group runo made is
// removed at delete unless closID named it (it may be shared). Without a
// mounted resctrl a config with intelRdt is refused: never a silent run.
//
// Permissions: none (the files go through the CgroupFs given).

import type { IntelRdt } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";
import type { CgroupFs } from "../cgroups/fs.ts";

export type { IntelRdt };

/** What the host's resctrl offers; null: not mounted. */
export interface ResctrlFacts {
  readonly mountpoint: string;
  /** info/L3 exists: cache allocation (CAT). */
  readonly cat: boolean;
  /** info/MB exists: memory bandwidth allocation (MBA). */
  readonly mba: boolean;
  /** info/L3_MON exists: monitoring groups. */
  readonly monitoring: boolean;
}

/** What state.json records to find the groups again. */
export interface RdtRecord {
  readonly path: string;
  /** runo made the group (and may remove it). */
  readonly created: boolean;
  readonly monPath?: string;
  /** closID named the group: never removed. */
  readonly shared: boolean;
}

/** The schemata text for `r` (lines in runc's order), "" when none. */
export function schemataText(r: IntelRdt): string {
  const lines = [r.l3CacheSchema, r.memBwSchema, ...(r.schemata ?? [])];
  return lines.filter((l): l is string => !!l).map((l) => `${l}\n`).join("");
}

/** Refuses what this host cannot do, with the pointer of the field (runc's intelrdtCheck). */
export function checkIntelRdt(r: IntelRdt | undefined, facts: ResctrlFacts | null): void {
  if (!r) return;
  if (!facts) {
    throw new ConfigError(
      "/linux/intelRdt",
      "Intel RDT is not available: no resctrl filesystem is mounted (mount -t resctrl resctrl /sys/fs/resctrl)",
    );
  }
  if (r.l3CacheSchema && !facts.cat) {
    throw new ConfigError(
      "/linux/intelRdt/l3CacheSchema",
      "Intel RDT/CAT is not enabled (no info/L3 in resctrl)",
    );
  }
  if (r.memBwSchema && !facts.mba) {
    throw new ConfigError(
      "/linux/intelRdt/memBwSchema",
      "Intel RDT/MBA is not enabled (no info/MB in resctrl)",
    );
  }
  if (r.enableMonitoring && !facts.monitoring) {
    throw new ConfigError(
      "/linux/intelRdt/enableMonitoring",
      "Intel RDT monitoring is not enabled (no info/L3_MON in resctrl)",
    );
  }
}

/** Makes or joins the group, writes the schemata, moves `pid` in. */
export function applyIntelRdt(
  fs: CgroupFs,
  facts: ResctrlFacts,
  r: IntelRdt,
  id: string,
  pid: number,
): RdtRecord {
  const path = `${facts.mountpoint}/${r.closID || id}`;
  const schemata = schemataText(r);
  // runc: a closID with nothing to write must name a group made beforehand.
  if (r.closID && schemata === "" && fs.read(`${path}/schemata`) === null) {
    throw new ConfigError(
      "/linux/intelRdt/closID",
      `resctrl group "${path}" does not exist (it must be made beforehand when no schema is given)`,
    );
  }
  const created = fs.mkdir(path);
  const record: RdtRecord = {
    path,
    created,
    shared: !!r.closID,
    ...(r.enableMonitoring ? { monPath: `${path}/mon_groups/${id}` } : {}),
  };
  try {
    if (schemata !== "") fs.write(`${path}/schemata`, schemata);
    fs.write(`${path}/tasks`, String(pid));
    if (record.monPath) {
      fs.mkdir(record.monPath);
      fs.write(`${record.monPath}/tasks`, String(pid));
    }
  } catch (err) {
    destroyIntelRdt(fs, record);
    throw new Error(`intelRdt: ${(err as Error).message}${lastCmdStatus(fs, facts)}`, {
      cause: err,
    });
  }
  return record;
}

/** `runo update --l3-cache-schema/--mem-bw-schema`: the group's new schemata. */
export function updateIntelRdt(
  fs: CgroupFs,
  facts: ResctrlFacts | null,
  record: RdtRecord | undefined,
  r: IntelRdt,
): void {
  if (!record) throw new Error("updating a non-existent Intel RDT configuration is not supported");
  checkIntelRdt(r, facts);
  const schemata = schemataText(r);
  if (schemata === "") return;
  try {
    fs.write(`${record.path}/schemata`, schemata);
  } catch (err) {
    throw new Error(`intelRdt: ${(err as Error).message}${facts ? lastCmdStatus(fs, facts) : ""}`, {
      cause: err,
    });
  }
}

/** delete: the monitoring group, and the group when runo made it and closID did not name it. */
export function destroyIntelRdt(fs: CgroupFs, record: RdtRecord): void {
  const quiet = (path: string) => {
    try {
      fs.rmdir(path);
    } catch { /* gone already */ }
  };
  if (record.monPath) quiet(record.monPath);
  if (record.created && !record.shared) quiet(record.path);
}

/** resctrl explains a refused write in info/last_cmd_status. */
function lastCmdStatus(fs: CgroupFs, facts: ResctrlFacts): string {
  const status = fs.read(`${facts.mountpoint}/info/last_cmd_status`)?.trim();
  return status ? ` (last_cmd_status: ${status})` : "";
}
