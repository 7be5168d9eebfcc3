// linux.seccomp → a filter description libseccomp can build: numeric
// actions, operators, architectures and seccomp(2) flags, and the rule list
// in runc's shape (libcontainer/seccomp/seccomp_linux.go). Pure, so every
// mapping is tested without libseccomp; lib/seccomp/compile.ts feeds the
// result to libseccomp and exports BPF.
//
// runc's rules kept here:
//   - SCMP_ACT_ERRNO and SCMP_ACT_TRACE default to EPERM without errnoRet;
//   - a rule whose action equals the default action is dropped (libseccomp
//     refuses it, and it changes nothing);
//   - conditions naming one argument index twice cannot be ANDed by
//     libseccomp, so each condition becomes a rule of its own.
//
// Permissions: none.

import type { Seccomp, SeccompArg } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";
import type { SECCOMP_ACTIONS, SECCOMP_FLAGS, SECCOMP_OPERATORS } from "../spec/parse_seccomp.ts";
import { EPERM } from "../../ffi/errno.ts";

/**
 * SCMP_ACT_* values (<seccomp.h>); ERRNO and TRACE carry data in the low
 * 16 bits. Keyed by the parser's list (lib/spec/parse_seccomp.ts), so an
 * action the parser accepts cannot lack a value here, nor the reverse.
 */
export const ACTION_BASE: Readonly<Record<typeof SECCOMP_ACTIONS[number], number>> = {
  SCMP_ACT_KILL: 0x00000000, // = KILL_THREAD
  SCMP_ACT_KILL_THREAD: 0x00000000,
  SCMP_ACT_KILL_PROCESS: 0x80000000,
  SCMP_ACT_TRAP: 0x00030000,
  SCMP_ACT_ERRNO: 0x00050000,
  SCMP_ACT_TRACE: 0x7ff00000,
  SCMP_ACT_LOG: 0x7ffc0000,
  SCMP_ACT_ALLOW: 0x7fff0000,
  SCMP_ACT_NOTIFY: 0x7fc00000,
};

/** enum scmp_compare, keyed by the parser's list. */
export const OPERATORS: Readonly<Record<typeof SECCOMP_OPERATORS[number], number>> = {
  SCMP_CMP_NE: 1,
  SCMP_CMP_LT: 2,
  SCMP_CMP_LE: 3,
  SCMP_CMP_EQ: 4,
  SCMP_CMP_GE: 5,
  SCMP_CMP_GT: 6,
  SCMP_CMP_MASKED_EQ: 7,
};

/** SECCOMP_FILTER_FLAG_* (<linux/seccomp.h>) for seccomp(2), keyed by the parser's list. */
export const FILTER_FLAGS: Readonly<Record<typeof SECCOMP_FLAGS[number], number>> = {
  SECCOMP_FILTER_FLAG_TSYNC: 1 << 0,
  SECCOMP_FILTER_FLAG_LOG: 1 << 1,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: 1 << 2,
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: 1 << 5,
};
export const FLAG_NEW_LISTENER = 1 << 3;
const FLAG_TSYNC_ESRCH = 1 << 4;

/**
 * The flags seccomp(2) gets, as libseccomp computes them at load time: the
 * kernel refuses WAIT_KILLABLE_RECV without a listener (EINVAL), so it is
 * kept only with one, and TSYNC beside a listener needs TSYNC_ESRCH.
 */
export function loadFlags(flags: number, notify: boolean): number {
  if (!notify) return flags & ~FILTER_FLAGS.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  const tsync = flags & FILTER_FLAGS.SECCOMP_FILTER_FLAG_TSYNC ? FLAG_TSYNC_ESRCH : 0;
  return flags | FLAG_NEW_LISTENER | tsync;
}

/** One condition of a rule: struct scmp_arg_cmp. */
export interface Condition {
  readonly arg: number;
  readonly op: number;
  readonly a: bigint;
  readonly b: bigint;
}

export interface Rule {
  readonly name: string;
  readonly action: number;
  readonly conditions: readonly Condition[];
  /** JSON pointer of the syscall entry, for errors. */
  readonly pointer: string;
}

export interface FilterSpec {
  readonly defaultAction: number;
  /** libseccomp architecture names ("x86_64"), added beside the native one. */
  readonly arches: readonly string[];
  readonly rules: readonly Rule[];
  /** seccomp(2) flags the init loads the program with. */
  readonly flags: number;
  /** Some rule notifies: the init needs a listener fd (NEW_LISTENER). */
  readonly notify: boolean;
}

/** An OCI action and its errnoRet → the SCMP_ACT_* value. */
export function actionValue(action: string, errnoRet: number | undefined, pointer: string): number {
  if (!Object.hasOwn(ACTION_BASE, action)) {
    throw new ConfigError(pointer, `Unknown seccomp action "${action}"`);
  }
  const base = ACTION_BASE[action as keyof typeof ACTION_BASE];
  if (action === "SCMP_ACT_ERRNO" || action === "SCMP_ACT_TRACE") {
    return (base | ((errnoRet ?? EPERM) & 0xffff)) >>> 0;
  }
  return base >>> 0;
}

/** "SCMP_ARCH_X86_64" → "x86_64", the name seccomp_arch_resolve_name knows. */
export function archName(arch: string): string {
  return arch.replace(/^SCMP_ARCH_/, "").toLowerCase();
}

/** A JSON number as u64 (values beyond 2^53 arrive rounded by JSON.parse). */
function u64(n: number): bigint {
  const v = BigInt(Math.trunc(n));
  const max = (1n << 64n) - 1n;
  return v < 0n ? v & max : v > max ? max : v;
}

export function condition(a: SeccompArg, pointer: string): Condition {
  if (!Object.hasOwn(OPERATORS, a.op)) {
    throw new ConfigError(`${pointer}/op`, `Unknown seccomp operator "${a.op}"`);
  }
  const op = OPERATORS[a.op as keyof typeof OPERATORS];
  return { arg: a.index, op, a: u64(a.value), b: u64(a.valueTwo ?? 0) };
}

/** runc: one rule with all conditions, or one rule per condition when an index repeats. */
function conditionSets(conds: readonly Condition[]): Condition[][] {
  const indexes = new Set(conds.map((c) => c.arg));
  return indexes.size === conds.length ? [[...conds]] : conds.map((c) => [c]);
}

/** The whole profile, mapped and checked. */
export function filterSpec(s: Seccomp): FilterSpec {
  const defaultAction = actionValue(
    s.defaultAction,
    s.defaultErrnoRet,
    "/linux/seccomp/defaultAction",
  );
  let flags = 0;
  (s.flags ?? []).forEach((f, i) => {
    if (!Object.hasOwn(FILTER_FLAGS, f)) {
      throw new ConfigError(`/linux/seccomp/flags/${i}`, `Unknown seccomp flag "${f}"`);
    }
    flags |= FILTER_FLAGS[f as keyof typeof FILTER_FLAGS];
  });
  const rules: Rule[] = [];
  let notify = false;
  (s.syscalls ?? []).forEach((call, i) => {
    const pointer = `/linux/seccomp/syscalls/${i}`;
    const action = actionValue(call.action, call.errnoRet, `${pointer}/action`);
    if (action === defaultAction) return;
    if (call.action === "SCMP_ACT_NOTIFY") notify = true;
    const conds = (call.args ?? []).map((a, j) => condition(a, `${pointer}/args/${j}`));
    for (const name of call.names) {
      for (const set of conditionSets(conds)) {
        rules.push({ name, action, conditions: set, pointer });
      }
    }
  });
  return {
    defaultAction,
    arches: (s.architectures ?? []).map(archName),
    rules,
    flags: loadFlags(flags, notify),
    notify,
  };
}
