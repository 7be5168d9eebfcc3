// cgroup v1 pids controller plan.
//
// Permissions: none.

import type { Resources } from "../../spec/types.ts";
import { type ControllerPlan, w } from "../write.ts";

/** runc: a limit ≤ 0 means no limit ("max"). */
export function pidsPlan(p: Resources["pids"]): ControllerPlan {
  if (!p) return { writes: [], warnings: [] };
  return { writes: [w("pids.max", p.limit > 0 ? p.limit : "max")], warnings: [] };
}
