// `events --stats` intel_rdt: runc's intelrdt.Stats from the container's
// resctrl group (its schemata, the root's, the info/ files) and, with
// monitoring, the mon_data counters per L3 domain.
//
// Permissions: none (the files go through the CgroupFs given).

import type { CgroupFs } from "../cgroups/fs.ts";
import type { RdtRecord, ResctrlFacts } from "./resctrl.ts";

const num = (text: string | null) => {
  const t = text?.trim();
  return t && /^\d+$/.test(t) ? Number(t) : undefined;
};

function lines(text: string | null): string[] {
  return (text ?? "").split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

export function rdtStats(
  fs: CgroupFs,
  facts: ResctrlFacts,
  record: RdtRecord,
): Record<string, unknown> {
  const root = facts.mountpoint;
  const own = lines(fs.read(`${record.path}/schemata`));
  const rootLines = lines(fs.read(`${root}/schemata`));
  const out: Record<string, unknown> = { schemata: own };
  if (facts.cat) {
    out.l3_cache_info = {
      cbm_mask: fs.read(`${root}/info/L3/cbm_mask`)?.trim(),
      min_cbm_bits: num(fs.read(`${root}/info/L3/min_cbm_bits`)),
      num_closids: num(fs.read(`${root}/info/L3/num_closids`)),
    };
    out.l3_cache_schema_root = rootLines.find((l) => l.includes("L3"));
    out.l3_cache_schema = own.find((l) => l.includes("L3"));
  }
  if (facts.mba) {
    out.mem_bw_info = {
      bandwidth_gran: num(fs.read(`${root}/info/MB/bandwidth_gran`)),
      delay_linear: num(fs.read(`${root}/info/MB/delay_linear`)),
      min_bandwidth: num(fs.read(`${root}/info/MB/min_bandwidth`)),
      num_closids: num(fs.read(`${root}/info/MB/num_closids`)),
    };
    out.mem_bw_schema_root = rootLines.find((l) => l.includes("MB"));
    out.mem_bw_schema = own.find((l) => l.includes("MB"));
  }
  if (facts.monitoring) {
    const mon = `${record.monPath ?? record.path}/mon_data`;
    const domains = fs.subdirs(mon).sort();
    out.mbm_stats = domains.map((d) => ({
      mbm_total_bytes: num(fs.read(`${mon}/${d}/mbm_total_bytes`)) ?? 0,
      mbm_local_bytes: num(fs.read(`${mon}/${d}/mbm_local_bytes`)) ?? 0,
    }));
    out.cmt_stats = domains.map((d) => ({
      llc_occupancy: num(fs.read(`${mon}/${d}/llc_occupancy`)) ?? 0,
    }));
  }
  return out;
}
