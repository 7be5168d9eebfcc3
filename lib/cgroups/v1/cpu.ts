// cgroup v1 cpu and cpuset controller plans (runc's fs/cpu.go, cpuset.go).
//
// Permissions: none.

import type { Resources } from "../../spec/types.ts";
import { type CgroupWrite, type ControllerPlan, w } from "../write.ts";

type Cpu = NonNullable<Resources["cpu"]>;

export function cpuPlan(c: Cpu | undefined): ControllerPlan {
  const writes: CgroupWrite[] = [];
  if (!c) return { writes, warnings: [] };
  if (c.shares) writes.push(w("cpu.shares", c.shares));
  // The period first: the kernel checks quota against the current period.
  // A shorter one can be refused (EINVAL, old quota over a parent's limit):
  // then again after the quota, as runc does.
  const quota = c.quota !== undefined && c.quota !== 0;
  if (c.period) {
    const period = w("cpu.cfs_period_us", c.period);
    writes.push(quota ? { ...period, retryAfter: "cpu.cfs_quota_us" } : period);
  }
  if (quota) writes.push(w("cpu.cfs_quota_us", c.quota!));
  if (c.burst !== undefined) writes.push(w("cpu.cfs_burst_us", c.burst));
  // runc: the rt period before the runtime, for the same reason.
  if (c.realtimePeriod) writes.push(w("cpu.rt_period_us", c.realtimePeriod));
  if (c.realtimeRuntime) writes.push(w("cpu.rt_runtime_us", c.realtimeRuntime));
  if (c.idle !== undefined) writes.push(w("cpu.idle", c.idle));
  return { writes, warnings: [] };
}

export function cpusetPlan(c: Cpu | undefined): ControllerPlan {
  const writes: CgroupWrite[] = [];
  if (c?.cpus) writes.push(w("cpuset.cpus", c.cpus));
  if (c?.mems) writes.push(w("cpuset.mems", c.mems));
  return { writes, warnings: [] };
}
