// cgroup v1 memory controller plan (runc's fs/memory.go).
//
// Permissions: none.

import type { Resources } from "../../spec/types.ts";
import { type CgroupWrite, type ControllerPlan, w } from "../write.ts";

type Memory = NonNullable<Resources["memory"]>;

/** What the plan depends on: the controller's current values and files. */
export interface MemoryFacts {
  /** memory.limit_in_bytes now (-1 for unlimited). */
  readonly limit: number;
  /** memory.kmem.tcp.limit_in_bytes exists (the kernel has TCP buffer accounting). */
  readonly kmemTcp: boolean;
}

/** The facts when there is nothing to plan. */
export const NO_MEMORY: MemoryFacts = { limit: -1, kmemTcp: false };

const UNLIMITED = -1;

export function memoryPlan(m: Memory | undefined, now: MemoryFacts): ControllerPlan {
  if (!m) return { writes: [], warnings: [] };
  const writes: CgroupWrite[] = [...limitWrites(m, now)];
  const warnings: string[] = [];
  // runc 1.1 ignores both; crun sets kernelTCP where the kernel has the
  // file. Kernel memory limits are gone from the kernel (6.x accepts and
  // ignores memory.kmem.limit_in_bytes).
  if (m.kernel !== undefined) {
    warnings.push("linux.resources.memory.kernel is deprecated and ignored");
  }
  if (m.kernelTCP !== undefined && now.kmemTcp) {
    writes.push(w("memory.kmem.tcp.limit_in_bytes", m.kernelTCP));
  } else if (m.kernelTCP !== undefined) {
    warnings.push(
      "linux.resources.memory.kernelTCP is ignored: this kernel has no memory.kmem.tcp.limit_in_bytes",
    );
  }
  if (m.reservation !== undefined) writes.push(w("memory.soft_limit_in_bytes", m.reservation));
  if (m.swappiness !== undefined && m.swappiness >= 0) {
    writes.push(w("memory.swappiness", m.swappiness));
  }
  if (m.disableOOMKiller) writes.push(w("memory.oom_control", 1));
  if (m.useHierarchy) writes.push(w("memory.use_hierarchy", 1));
  return { writes, warnings };
}

/**
 * memory.memsw.limit_in_bytes (memory+swap) must stay ≥ the memory limit
 * at every moment, so the order of the two writes depends on whether the
 * limit grows: runc's setMemoryAndSwap.
 */
function limitWrites(m: Memory, now: MemoryFacts): CgroupWrite[] {
  const limit = m.limit;
  let swap = m.swap;
  // runc: memory unlimited and swap unset means swap unlimited too.
  if (limit === UNLIMITED && swap === undefined) swap = UNLIMITED;
  const out: CgroupWrite[] = [];
  if (limit === undefined) {
    if (swap !== undefined) out.push(w("memory.memsw.limit_in_bytes", swap));
    return out;
  }
  const mem = w("memory.limit_in_bytes", limit);
  if (swap === undefined) return [mem];
  const sw = w("memory.memsw.limit_in_bytes", swap);
  const growing = limit === UNLIMITED || (now.limit !== UNLIMITED && limit > now.limit);
  return growing ? [sw, mem] : [mem, sw];
}
