// The unit of every cgroup plan: one value written to one file of one
// controller's directory. Plans are pure (resources → writes); a manager
// writes them in order.
//
// Permissions: none.

export interface CgroupWrite {
  /** The file name inside the controller's cgroup directory. */
  readonly file: string;
  readonly value: string;
  /**
   * When the kernel refuses this write with EINVAL, go on and write it
   * again right after the write to this file (runc's cpu.cfs_period_us: a
   * shorter period can exceed a parent's quota until the new quota is in).
   */
  readonly retryAfter?: string;
}

export interface ControllerPlan {
  readonly writes: CgroupWrite[];
  /** Fields the host cannot honour and that are ignored, as runc warns. */
  readonly warnings: string[];
}

export function w(file: string, value: string | number): CgroupWrite {
  return { file, value: String(value) };
}

export const EMPTY_PLAN: ControllerPlan = { writes: [], warnings: [] };
