// config.json `linux.seccomp` → Seccomp: names from libseccomp's vocabulary
// and the rules a profile must meet before it is compiled to BPF.
//
// Permissions: none.

import { at, ConfigError } from "./config_error.ts";
import {
  arrayOf,
  integer,
  nonEmptyArray,
  nonEmptyString,
  object,
  oneOf,
  opt,
  req,
  type Rule,
  string,
  uint32,
  uint64,
} from "./_check.ts";
import type { Seccomp, SeccompArg, SeccompSyscall } from "./types.ts";

export const SECCOMP_ACTIONS = [
  "SCMP_ACT_KILL",
  "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD",
  "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO",
  "SCMP_ACT_TRACE",
  "SCMP_ACT_ALLOW",
  "SCMP_ACT_LOG",
  "SCMP_ACT_NOTIFY",
] as const;

export const SECCOMP_OPERATORS = [
  "SCMP_CMP_NE",
  "SCMP_CMP_LT",
  "SCMP_CMP_LE",
  "SCMP_CMP_EQ",
  "SCMP_CMP_GE",
  "SCMP_CMP_GT",
  "SCMP_CMP_MASKED_EQ",
] as const;

export const SECCOMP_ARCHES = [
  "SCMP_ARCH_X86",
  "SCMP_ARCH_X86_64",
  "SCMP_ARCH_X32",
  "SCMP_ARCH_ARM",
  "SCMP_ARCH_AARCH64",
  "SCMP_ARCH_LOONGARCH64",
  "SCMP_ARCH_M68K",
  "SCMP_ARCH_MIPS",
  "SCMP_ARCH_MIPS64",
  "SCMP_ARCH_MIPS64N32",
  "SCMP_ARCH_MIPSEL",
  "SCMP_ARCH_MIPSEL64",
  "SCMP_ARCH_MIPSEL64N32",
  "SCMP_ARCH_PPC",
  "SCMP_ARCH_PPC64",
  "SCMP_ARCH_PPC64LE",
  "SCMP_ARCH_S390",
  "SCMP_ARCH_S390X",
  "SCMP_ARCH_SH",
  "SCMP_ARCH_SHEB",
  "SCMP_ARCH_PARISC",
  "SCMP_ARCH_PARISC64",
  "SCMP_ARCH_RISCV64",
] as const;

export const SECCOMP_FLAGS = [
  "SECCOMP_FILTER_FLAG_TSYNC",
  "SECCOMP_FILTER_FLAG_LOG",
  "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
] as const;

// A syscall has at most six arguments (seccomp_data.args[6]).
const ARG = object<SeccompArg>({
  index: req(integer(0, 5, "an argument index from 0 to 5")),
  value: req(uint64),
  valueTwo: opt(uint64),
  op: req(oneOf(SECCOMP_OPERATORS, "seccomp operator")),
});

// The runtime spec: "When the action doesn't support an errno, the runtime
// MUST print an error and fail." Only ERRNO and TRACE carry one.
function errnoFits(action: string, errno: number | undefined, pointer: string): void {
  if (errno !== undefined && action !== "SCMP_ACT_ERRNO" && action !== "SCMP_ACT_TRACE") {
    throw new ConfigError(
      pointer,
      `${action} takes no errno; only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do`,
    );
  }
}

// The init hands the listener fd to runo with write(2) after loading the
// filter; a notifying write would wait for an agent that is not there yet.
const notifyNotOnWrite: Rule<SeccompSyscall> = (s, p) => {
  if (s.action === "SCMP_ACT_NOTIFY" && s.names.includes("write")) {
    throw new ConfigError(
      at(p, "names", s.names.indexOf("write")),
      "SCMP_ACT_NOTIFY cannot be used for the write syscall",
    );
  }
};

const SYSCALL = object<SeccompSyscall>(
  {
    names: req(arrayOf(nonEmptyString, nonEmptyArray)),
    action: req(oneOf(SECCOMP_ACTIONS, "seccomp action")),
    errnoRet: opt(uint32),
    args: opt(arrayOf(ARG)),
  },
  (s, p) => errnoFits(s.action, s.errnoRet, at(p, "errnoRet")),
  notifyNotOnWrite,
);

const notifyRules: Rule<Seccomp> = (s, p) => {
  if (s.defaultAction === "SCMP_ACT_NOTIFY") {
    throw new ConfigError(
      at(p, "defaultAction"),
      "SCMP_ACT_NOTIFY cannot be used as default action",
    );
  }
  const i = s.syscalls?.findIndex((c) => c.action === "SCMP_ACT_NOTIFY") ?? -1;
  if (i >= 0 && !s.listenerPath) {
    throw new ConfigError(
      at(p, "syscalls", i, "action"),
      "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath",
    );
  }
};

export const SECCOMP = object<Seccomp>(
  {
    defaultAction: req(oneOf(SECCOMP_ACTIONS, "seccomp action")),
    defaultErrnoRet: opt(uint32),
    architectures: opt(arrayOf(oneOf(SECCOMP_ARCHES, "seccomp architecture"))),
    flags: opt(arrayOf(oneOf(SECCOMP_FLAGS, "seccomp flag"))),
    listenerPath: opt(string),
    listenerMetadata: opt(string),
    syscalls: opt(arrayOf(SYSCALL)),
  },
  (s, p) => errnoFits(s.defaultAction, s.defaultErrnoRet, at(p, "defaultErrnoRet")),
  notifyRules,
);
