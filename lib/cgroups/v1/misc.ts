// cgroup v1 plans of the small controllers: hugetlb, net_cls, net_prio,
// rdma (runc's fs/hugetlb.go, net_cls.go, net_prio.go, rdma.go). The v2
// planner and a hybrid host's v1 manager take hugetlb's v2 file names and
// rdma.max (one file in both) from here too.
//
// Permissions: none.

import type { Resources } from "../../spec/types.ts";
import { type ControllerPlan, w } from "../write.ts";

export function hugetlbPlan(h: Resources["hugepageLimits"]): ControllerPlan {
  return {
    writes: (h ?? []).map((l) => w(`hugetlb.${l.pageSize}.limit_in_bytes`, l.limit)),
    warnings: [],
  };
}

/** The same limits in cgroup v2's files, hugetlb.<size>.max. */
export function hugetlbV2Plan(h: Resources["hugepageLimits"]): ControllerPlan {
  return { writes: (h ?? []).map((l) => w(`hugetlb.${l.pageSize}.max`, l.limit)), warnings: [] };
}

export function netClsPlan(n: Resources["network"]): ControllerPlan {
  const writes = n?.classID !== undefined ? [w("net_cls.classid", n.classID)] : [];
  return { writes, warnings: [] };
}

export function netPrioPlan(n: Resources["network"]): ControllerPlan {
  const writes = (n?.priorities ?? []).map((p) =>
    w("net_prio.ifpriomap", `${p.name} ${p.priority}`)
  );
  return { writes, warnings: [] };
}

/** rdma.max lines, "mlx4_0 hca_handle=2 hca_object=2000"; v1 and v2 alike. */
export function rdmaPlan(r: Resources["rdma"]): ControllerPlan {
  const writes = Object.entries(r ?? {}).flatMap(([dev, l]) => {
    const parts = [
      l.hcaHandles !== undefined ? `hca_handle=${l.hcaHandles}` : "",
      l.hcaObjects !== undefined ? `hca_object=${l.hcaObjects}` : "",
    ].filter((s) => s !== "");
    return parts.length ? [w("rdma.max", `${dev} ${parts.join(" ")}`)] : [];
  });
  return { writes, warnings: [] };
}
