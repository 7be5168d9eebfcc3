// process.scheduler and process.ioPriority → SCHED_SETATTR and IOPRIO_SET
// operations. runc sets both in the init after personality and before it
// reports ready (setupScheduler, setupIOPriority); the planner encodes
// struct sched_attr here so the C side only makes the call.
//
// Permissions: none.

import type { IoPriority, Scheduler } from "../lib/spec/types.ts";
import type { DraftOp } from "../lib/bootstrap/plan.ts";
import { ConfigError } from "../lib/spec/config_error.ts";

/** SCHED_* policies (<linux/sched.h>). */
export const POLICIES: Readonly<Record<string, number>> = {
  SCHED_OTHER: 0,
  SCHED_FIFO: 1,
  SCHED_RR: 2,
  SCHED_BATCH: 3,
  SCHED_ISO: 4,
  SCHED_IDLE: 5,
  SCHED_DEADLINE: 6,
};

/** SCHED_FLAG_* (<linux/sched.h>). */
export const SCHED_FLAGS: Readonly<Record<string, number>> = {
  SCHED_FLAG_RESET_ON_FORK: 0x01,
  SCHED_FLAG_RECLAIM: 0x02,
  SCHED_FLAG_DL_OVERRUN: 0x04,
  SCHED_FLAG_KEEP_POLICY: 0x08,
  SCHED_FLAG_KEEP_PARAMS: 0x10,
  SCHED_FLAG_UTIL_CLAMP_MIN: 0x20,
  SCHED_FLAG_UTIL_CLAMP_MAX: 0x40,
};

/** IOPRIO_CLASS_* (<linux/ioprio.h>); the priority is class << 13 | level. */
export const IOPRIO_CLASSES: Readonly<Record<string, number>> = {
  IOPRIO_CLASS_RT: 1,
  IOPRIO_CLASS_BE: 2,
  IOPRIO_CLASS_IDLE: 3,
};

const SCHED_ATTR_SIZE_VER0 = 48;
const SCHED_ATTR_SIZE_VER1 = 56; // with util_min/util_max

/** struct sched_attr for sched_setattr(2), little endian as the init's host. */
export function schedAttr(s: Scheduler): Uint8Array {
  if (!Object.hasOwn(POLICIES, s.policy)) {
    throw new ConfigError("/process/scheduler/policy", `Unknown scheduler policy "${s.policy}"`);
  }
  let flags = 0;
  (s.flags ?? []).forEach((f, i) => {
    if (!Object.hasOwn(SCHED_FLAGS, f)) {
      throw new ConfigError(`/process/scheduler/flags/${i}`, `Unknown scheduler flag "${f}"`);
    }
    flags |= SCHED_FLAGS[f];
  });
  const size = flags & 0x60 ? SCHED_ATTR_SIZE_VER1 : SCHED_ATTR_SIZE_VER0;
  const buf = new Uint8Array(size);
  const v = new DataView(buf.buffer);
  v.setUint32(0, size, true);
  v.setUint32(4, POLICIES[s.policy], true);
  v.setBigUint64(8, BigInt(flags), true);
  v.setInt32(16, s.nice ?? 0, true);
  v.setUint32(20, s.priority ?? 0, true);
  v.setBigUint64(24, BigInt(Math.trunc(s.runtime ?? 0)), true);
  v.setBigUint64(32, BigInt(Math.trunc(s.deadline ?? 0)), true);
  v.setBigUint64(40, BigInt(Math.trunc(s.period ?? 0)), true);
  return buf;
}

export function schedulerOps(s: Scheduler | undefined): DraftOp[] {
  return s ? [{ op: "SCHED_SETATTR", bytes: schedAttr(s) }] : [];
}

/** ioprio_set(IOPRIO_WHO_PROCESS, 0, class << 13 | priority). */
export function ioPriorityOps(p: IoPriority | undefined): DraftOp[] {
  if (!p) return [];
  if (!Object.hasOwn(IOPRIO_CLASSES, p.class)) {
    throw new ConfigError("/process/ioPriority/class", `Unknown I/O priority class "${p.class}"`);
  }
  if (!Number.isInteger(p.priority) || p.priority < 0 || p.priority > 7) {
    throw new ConfigError("/process/ioPriority/priority", "must be an integer from 0 to 7");
  }
  return [{ op: "IOPRIO_SET", num: (IOPRIO_CLASSES[p.class] << 13) | p.priority }];
}
