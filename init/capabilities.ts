// Capability names → numbers (<linux/capability.h>) and the capability
// part of the plan. runc's finalizeNamespace order is kept: the bounding set
// is cut while the init is still root, PR_SET_KEEPCAPS holds the permitted
// set across setuid, then keepcaps is cleared and effective/permitted/
// inheritable and ambient are set. A name runo does not know is refused,
// naming the config field, so a typo cannot silently grant or withhold a
// capability (runc refuses those too); a known capability newer than the
// running kernel (above /proc/sys/kernel/cap_last_cap) is dropped, and the
// caller warns about it, as runc does.
//
// Permissions: none.

import type { Capabilities } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { ConfigError } from "../lib/spec/config_error.ts";

/** Capability numbers by name, CAP_CHOWN = 0 … CAP_CHECKPOINT_RESTORE = 40. */
export const CAPABILITIES: Readonly<Record<string, number>> = Object.fromEntries(
  [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
  ].map((name, i) => [`CAP_${name}`, i]),
);

/** The five capability sets as bit masks (bit n = capability n). */
export interface CapMasks {
  readonly bounding: bigint;
  readonly effective: bigint;
  readonly permitted: bigint;
  readonly inheritable: bigint;
  readonly ambient: bigint;
}

const SETS = ["bounding", "effective", "permitted", "inheritable", "ambient"] as const;

/**
 * Turns a list of names into a mask; `pointer` is the list's JSON pointer
 * (e.g. "/process/capabilities/bounding") for the error on an unknown name.
 */
export function capMask(names: readonly string[] = [], pointer: string): bigint {
  let mask = 0n;
  names.forEach((name, i) => {
    if (!Object.hasOwn(CAPABILITIES, name)) {
      throw new ConfigError(`${pointer}/${i}`, `Unknown capability "${name}"`);
    }
    mask |= 1n << BigInt(CAPABILITIES[name]);
  });
  return mask;
}

/** The masks of process.capabilities, without capabilities above `lastCap`. */
export function capMasks(caps: Capabilities, lastCap = 63): CapMasks {
  const kernel = (1n << BigInt(lastCap + 1)) - 1n;
  const [bounding, effective, permitted, inheritable, ambient] = SETS.map((set) =>
    capMask(caps[set], `/process/capabilities/${set}`) & kernel
  );
  return { bounding, effective, permitted, inheritable, ambient };
}

/** Known capability names the kernel lacks ("set: CAP_X"), for the caller's warning. */
export function unsupportedCaps(caps: Capabilities | undefined, lastCap: number): string[] {
  if (!caps) return [];
  return SETS.flatMap((set) =>
    (caps[set] ?? []).filter((n) => (CAPABILITIES[n] ?? -1) > lastCap).map((n) => `${set}: ${n}`)
  );
}

/**
 * CAP_BOUNDING, run while still root, before the credential change (runc:
 * ApplyBoundingSet before SetKeepCaps). NUM is the host's cap_last_cap,
 * read by runo in the host's namespaces: the init drops every capability
 * up to it that the mask lacks, and never reads the container's /proc for
 * it. None when the config has no capabilities object: runc then leaves
 * capabilities alone.
 */
export function boundingOps(
  caps: Capabilities | undefined,
  step: string,
  lastCap: number,
): PlanOp[] {
  if (!caps) return [];
  if (!Number.isInteger(lastCap) || lastCap < 0 || lastCap > 63) {
    throw new RangeError(`Cannot plan the bounding set: cap_last_cap ${lastCap} is out of range`);
  }
  return [{ op: "CAP_BOUNDING", step, bounding: capMasks(caps, lastCap).bounding, num: lastCap }];
}

/**
 * CAPSET then CAP_AMBIENT, after setuid and KEEPCAPS 0 (runc: ApplyCaps).
 */
export function capsetOps(
  caps: Capabilities | undefined,
  step: string,
  lastCap?: number,
): PlanOp[] {
  if (!caps) return [];
  const m = capMasks(caps, lastCap);
  return [
    {
      op: "CAPSET",
      step,
      effective: m.effective,
      permitted: m.permitted,
      inheritable: m.inheritable,
    },
    // The kernel raises an ambient capability only when it is both
    // permitted and inheritable; runc tries the rest, warns and goes on.
    // Planning the intersection gives the same process without the warnings.
    { op: "CAP_AMBIENT", step, ambient: m.ambient & m.permitted & m.inheritable },
  ];
}
