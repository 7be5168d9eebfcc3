// runc's -ENOSYS stub (libcontainer/seccomp/patchbpf): a short classic-BPF
// prefix put before libseccomp's program so that a syscall numbered above
// every syscall the profile names returns ENOSYS instead of the default
// action. A program built against newer kernel headers then sees "not
// implemented" and falls back (glibc does for clone3, faccessat2, …) where a
// default EPERM would make it fail. As runc: only for a non-permissive
// default action whose errno is not already ENOSYS, and only for the
// architectures the profile lists. x32 shares x86_64's audit arch and is
// told apart by bit 30 of the syscall number.
//
// Permissions: none.

import type { Seccomp } from "../spec/types.ts";
import { ENOSYS } from "../../ffi/errno.ts";

const SECCOMP_RET_ERRNO = 0x00050000;
const X32_BIT = 0x40000000;
/** libseccomp's token for x32 is a made-up arch; the kernel reports x86_64. */
const SCMP_ARCH_X32 = 0x4000003e;
const AUDIT_ARCH_X86_64 = 0xc000003e;

// Classic BPF opcodes (<linux/filter.h>).
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGT_K = 0x25;
const JSET_K = 0x45;
const JA = 0x05;
const RET_K = 0x06;

/** The largest syscall number the profile names for one libseccomp arch token. */
export interface ArchMax {
  readonly token: number;
  readonly max: number;
}

/** runc's generatePatch conditions. */
export function needsEnosysStub(s: Seccomp): boolean {
  if (s.defaultAction === "SCMP_ACT_ALLOW" || s.defaultAction === "SCMP_ACT_LOG") return false;
  if (s.defaultAction === "SCMP_ACT_ERRNO" && s.defaultErrnoRet === ENOSYS) return false;
  return (s.architectures?.length ?? 0) > 0;
}

type Target = number | string;
interface Insn {
  readonly code: number;
  readonly k: number | string;
  readonly jt?: Target;
  readonly jf?: Target;
  readonly label?: string;
}

/** One native arch's section: load nr, compare, jump to "enosys" or "filter". */
function section(label: string, x86?: number, x32?: number, plain?: number): Insn[] {
  const ops: Insn[] = [{ code: LD_W_ABS, k: 0, label }];
  if (plain !== undefined) {
    ops.push({ code: JGT_K, k: plain, jt: "enosys", jf: "filter" });
  } else if (x86 !== undefined && x32 !== undefined) {
    ops.push(
      { code: JSET_K, k: X32_BIT, jt: `${label}.x32`, jf: 0 },
      { code: JGT_K, k: x86, jt: "enosys", jf: "filter" },
      { code: JGT_K, k: x32, jt: "enosys", jf: "filter", label: `${label}.x32` },
    );
  } else if (x86 !== undefined) {
    ops.push(
      { code: JSET_K, k: X32_BIT, jt: "filter", jf: 0 },
      { code: JGT_K, k: x86, jt: "enosys", jf: "filter" },
    );
  } else if (x32 !== undefined) {
    ops.push(
      { code: JSET_K, k: X32_BIT, jt: 0, jf: "filter" },
      { code: JGT_K, k: x32, jt: "enosys", jf: "filter" },
    );
  }
  return ops;
}

/** Resolves labels to relative offsets and encodes struct sock_filter[]. */
function assemble(insns: Insn[]): Uint8Array {
  const at = new Map<string, number>([["filter", insns.length]]);
  insns.forEach((x, i) => x.label && at.set(x.label, i));
  const rel = (t: Target | undefined, i: number): number => {
    if (t === undefined || typeof t === "number") return t ?? 0;
    const off = at.get(t)! - (i + 1);
    if (off < 0 || off > 255) throw new Error(`seccomp stub: jump to ${t} out of range`);
    return off;
  };
  const out = new Uint8Array(insns.length * 8);
  const v = new DataView(out.buffer);
  insns.forEach((x, i) => {
    const k = typeof x.k === "string" ? at.get(x.k)! - (i + 1) : x.k;
    v.setUint16(i * 8, x.code, true);
    v.setUint8(i * 8 + 2, rel(x.jt, i));
    v.setUint8(i * 8 + 3, rel(x.jf, i));
    v.setUint32(i * 8 + 4, k >>> 0, true);
  });
  return out;
}

/** The stub for these arches; empty when none has a named syscall. */
export function enosysStub(maxes: readonly ArchMax[]): Uint8Array {
  const byAudit = new Map<number, { x86?: number; x32?: number; plain?: number }>();
  for (const { token, max } of maxes) {
    if (max <= 0) continue;
    const audit = token === SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : token >>> 0;
    const e = byAudit.get(audit) ?? {};
    if (token === SCMP_ARCH_X32) e.x32 = max;
    else if (audit === AUDIT_ARCH_X86_64) e.x86 = max;
    else e.plain = max;
    byAudit.set(audit, e);
  }
  if (byAudit.size === 0) return new Uint8Array(0);
  const head: Insn[] = [{ code: LD_W_ABS, k: 4 }];
  const body: Insn[] = [];
  [...byAudit].forEach(([audit, e], i) => {
    head.push({ code: JEQ_K, k: audit, jt: `arch${i}`, jf: 0 });
    body.push(...section(`arch${i}`, e.x86, e.x32, e.plain));
  });
  head.push({ code: JA, k: "filter" });
  return assemble([
    ...head,
    ...body,
    { code: RET_K, k: SECCOMP_RET_ERRNO | ENOSYS, label: "enosys" },
  ]);
}
