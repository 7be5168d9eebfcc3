// cgroup v1 blkio controller plan (runc's fs/blkio.go). With the BFQ
// scheduler the weight files are blkio.bfq.*; the manager says which.
//
// Permissions: none.

import type { Resources, ThrottleDevice } from "../../spec/types.ts";
import { type CgroupWrite, type ControllerPlan, w } from "../write.ts";

type BlockIO = NonNullable<Resources["blockIO"]>;

export interface BlkioFacts {
  /** "blkio." or "blkio.bfq.": the prefix of the weight files on this host. */
  readonly weightPrefix: string;
}

export function blkioPlan(b: BlockIO | undefined, facts: BlkioFacts): ControllerPlan {
  const writes: CgroupWrite[] = [];
  const warnings: string[] = [];
  if (!b) return { writes, warnings };
  const p = facts.weightPrefix;
  if (b.weight) writes.push(w(`${p}weight`, b.weight));
  if (b.leafWeight) {
    if (p === "blkio.") writes.push(w("blkio.leaf_weight", b.leafWeight));
    else warnings.push("linux.resources.blockIO.leafWeight is ignored (BFQ has no leaf weight)");
  }
  for (const d of b.weightDevice ?? []) {
    if (d.weight) writes.push(w(`${p}weight_device`, `${d.major}:${d.minor} ${d.weight}`));
    if (d.leafWeight && p === "blkio.") {
      writes.push(w("blkio.leaf_weight_device", `${d.major}:${d.minor} ${d.leafWeight}`));
    }
  }
  const throttles: [string, readonly ThrottleDevice[] | undefined][] = [
    ["blkio.throttle.read_bps_device", b.throttleReadBpsDevice],
    ["blkio.throttle.write_bps_device", b.throttleWriteBpsDevice],
    ["blkio.throttle.read_iops_device", b.throttleReadIOPSDevice],
    ["blkio.throttle.write_iops_device", b.throttleWriteIOPSDevice],
  ];
  for (const [file, devices] of throttles) {
    for (const d of devices ?? []) writes.push(w(file, `${d.major}:${d.minor} ${d.rate}`));
  }
  return { writes, warnings };
}
