// The host side of linux.intelRdt (lib/intelrdt/resctrl.ts decides): where
// resctrl is mounted and what it offers, read once per command, and the
// create, exec, update and delete steps on the kernel's files. Loaded only
// for containers that have intelRdt. A record read back from state.json
// is checked to be on resctrl before anything goes through it
// (lib/intelrdt/record_check.ts).
//
// Permissions: --allow-ffi (procfs, resctrl).

import type { Spec } from "../spec/types.ts";
import { type CgroupFs, kernelCgroupFs } from "../cgroups/fs.ts";
import { parseMountinfo } from "../mounts/mountinfo.ts";
import { readKernelFile } from "../../ffi/kernfs.ts";
import {
  applyIntelRdt,
  checkIntelRdt,
  destroyIntelRdt,
  type IntelRdt,
  type RdtRecord,
  type ResctrlFacts,
  updateIntelRdt,
} from "./resctrl.ts";
import { rdtStats } from "./stats.ts";
import { checkRdtRecord } from "./record_check.ts";

export { checkRdtRecord };

/** The first resctrl mount of this host and its features, or null. */
export function resctrlFacts(fs: CgroupFs, mountinfo: string): ResctrlFacts | null {
  const mount = parseMountinfo(mountinfo).find((m) => m.fsType === "resctrl");
  if (!mount) return null;
  const has = (file: string) => fs.read(`${mount.mountPoint}/info/${file}`) !== null;
  return {
    mountpoint: mount.mountPoint,
    cat: has("L3/cbm_mask"),
    mba: has("MB/min_bandwidth"),
    monitoring: has("L3_MON/mon_features"),
  };
}

function hostFacts(): ResctrlFacts | null {
  return resctrlFacts(kernelCgroupFs(), readKernelFile("/proc/self/mountinfo", 1 << 20));
}

export interface ContainerRdt {
  /** procReady: the group made or joined, the init in it. */
  onReady(initPid: number): void;
  /** What state.json keeps, once onReady ran. */
  record(): RdtRecord | undefined;
  /** A failed create: undo onReady. */
  cleanup(): void;
}

/** create: refuses what the host cannot do before anything is made. */
export function containerRdt(spec: Spec, id: string): ContainerRdt | undefined {
  const rdt = spec.linux?.intelRdt;
  if (!rdt) return undefined;
  const facts = hostFacts();
  checkIntelRdt(rdt, facts);
  const fs = kernelCgroupFs();
  let record: RdtRecord | undefined;
  return {
    onReady(pid) {
      record = applyIntelRdt(fs, facts!, rdt, id, pid);
    },
    record: () => record,
    cleanup() {
      if (record) destroyIntelRdt(fs, record);
    },
  };
}

/** exec: the new process joins the container's groups (runc's setnsProcess). */
export function joinRdt(record: RdtRecord, pid: number): void {
  checkRdtRecord(record);
  const fs = kernelCgroupFs();
  fs.write(`${record.path}/tasks`, String(pid));
  if (record.monPath) fs.write(`${record.monPath}/tasks`, String(pid));
}

/**
 * update --l3-cache-schema/--mem-bw-schema: runc's checks in its order
 * (the feature, then a container that has intelRdt), then the merged
 * intelRdt's schemata into the group.
 */
export function updateRdt(
  record: RdtRecord | undefined,
  configured: IntelRdt | undefined,
  flags: Partial<IntelRdt>,
): IntelRdt {
  const facts = hostFacts();
  if (flags.l3CacheSchema && !facts?.cat) {
    throw new Error("Intel RDT/CAT: l3 cache schema is not enabled (no resctrl with info/L3)");
  }
  if (flags.memBwSchema && !facts?.mba) {
    throw new Error(
      "Intel RDT/MBA: memory bandwidth schema is not enabled (no resctrl with info/MB)",
    );
  }
  if (!configured) {
    throw new Error("updating a non-existent Intel RDT configuration is not supported");
  }
  if (record) checkRdtRecord(record);
  const rdt = { ...configured, ...flags };
  updateIntelRdt(kernelCgroupFs(), facts, record, rdt);
  return rdt;
}

/** events --stats: intel_rdt of the recorded groups ({} when resctrl is gone). */
export function statsOfRdt(record: RdtRecord): Record<string, unknown> {
  checkRdtRecord(record);
  const facts = hostFacts();
  return facts ? rdtStats(kernelCgroupFs(), facts, record) : {};
}

/** delete. */
export function removeRdt(record: RdtRecord): void {
  checkRdtRecord(record);
  destroyIntelRdt(kernelCgroupFs(), record);
}
