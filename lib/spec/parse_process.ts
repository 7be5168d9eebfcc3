// config.json `process` (and `runo exec --process` files) → Process, with
// the rules that concern one process object alone.
//
// Permissions: none.

import { ConfigError } from "./config_error.ts";
import {
  absolutePath,
  arrayOf,
  boolean,
  type Check,
  int32,
  integer,
  matching,
  object,
  oneOf,
  opt,
  req,
  type Rule,
  string,
  uint16,
  uint32,
  uint64,
} from "./_check.ts";
import { parseIdList } from "./cpu_list.ts";
import type {
  Capabilities,
  ExecCPUAffinity,
  IoPriority,
  Process,
  Rlimit,
  Scheduler,
  User,
} from "./types.ts";

/** getrlimit(2) resources, by their OCI names. */
export const RLIMIT_TYPES = [
  "RLIMIT_AS",
  "RLIMIT_CORE",
  "RLIMIT_CPU",
  "RLIMIT_DATA",
  "RLIMIT_FSIZE",
  "RLIMIT_LOCKS",
  "RLIMIT_MEMLOCK",
  "RLIMIT_MSGQUEUE",
  "RLIMIT_NICE",
  "RLIMIT_NOFILE",
  "RLIMIT_NPROC",
  "RLIMIT_RSS",
  "RLIMIT_RTPRIO",
  "RLIMIT_RTTIME",
  "RLIMIT_SIGPENDING",
  "RLIMIT_STACK",
] as const;

export const SCHEDULER_POLICIES = [
  "SCHED_OTHER",
  "SCHED_FIFO",
  "SCHED_RR",
  "SCHED_BATCH",
  "SCHED_ISO",
  "SCHED_IDLE",
  "SCHED_DEADLINE",
] as const;

export const SCHEDULER_FLAGS = [
  "SCHED_FLAG_RESET_ON_FORK",
  "SCHED_FLAG_RECLAIM",
  "SCHED_FLAG_DL_OVERRUN",
  "SCHED_FLAG_KEEP_POLICY",
  "SCHED_FLAG_KEEP_PARAMS",
  "SCHED_FLAG_UTIL_CLAMP_MIN",
  "SCHED_FLAG_UTIL_CLAMP_MAX",
] as const;

export const IOPRIO_CLASSES = ["IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"] as const;

/** "NAME=value" as in environ(7); execve(2) cannot carry a NUL. Also used for hooks. */
export const envEntry: Check<string> = (v, p) => {
  const s = string(v, p);
  const eq = s.indexOf("=");
  if (eq < 0) throw new ConfigError(p, `invalid environment variable ${JSON.stringify(s)}: no "="`);
  if (eq === 0) {
    throw new ConfigError(p, `invalid environment variable ${JSON.stringify(s)}: empty name`);
  }
  if (s.includes("\0")) {
    throw new ConfigError(p, "invalid environment variable: contains a NUL byte");
  }
  return s;
};

// Names only; whether the kernel knows a capability is checked at create
// time against /proc/sys/kernel/cap_last_cap, not here.
const capability = matching(/^CAP_[A-Z_]+$/, "capability", "must look like CAP_[A-Z_]+");
const capabilitySet = arrayOf(capability);

const CAPABILITIES = object<Capabilities>({
  bounding: opt(capabilitySet),
  effective: opt(capabilitySet),
  inheritable: opt(capabilitySet),
  permitted: opt(capabilitySet),
  ambient: opt(capabilitySet),
});

// setrlimit(2) fails with EINVAL when rlim_cur > rlim_max.
const softNotAboveHard: Rule<Rlimit> = (r, p) => {
  if (r.soft > r.hard) {
    throw new ConfigError(p, `soft limit ${r.soft} is above hard limit ${r.hard} for ${r.type}`);
  }
};

const RLIMIT = object<Rlimit>({
  type: req(oneOf(RLIMIT_TYPES, "rlimit type")),
  soft: req(uint64),
  hard: req(uint64),
}, softNotAboveHard);

// The runtime spec: "If rlimits contains duplicated entries with same type,
// the runtime MUST generate an error".
const uniqueRlimits: Rule<readonly Rlimit[]> = (list, p) => {
  list.forEach((r, i) => {
    if (list.findIndex((o) => o.type === r.type) < i) {
      throw new ConfigError(`${p}/${i}/type`, `duplicate rlimit type "${r.type}"`);
    }
  });
};

const USER = object<User>({
  uid: req(uint32),
  gid: req(uint32),
  umask: opt(uint32),
  additionalGids: opt(arrayOf(uint32)),
  username: opt(string),
});

// ioprio_set(2): levels 0 (highest) to 7 for the RT and BE classes.
const IO_PRIORITY = object<IoPriority>({
  class: req(oneOf(IOPRIO_CLASSES, "I/O priority class")),
  priority: req(integer(0, 7, "an integer from 0 to 7")),
});

// sched_setattr(2): what each policy accepts, as runc checks it.
const schedulerFieldsFitPolicy: Rule<Scheduler> = (s, p) => {
  if (s.nice !== undefined && (s.nice < -20 || s.nice > 19)) {
    throw new ConfigError(`${p}/nice`, `must be from -20 to 19, got ${s.nice}`);
  }
  if (s.priority && s.policy !== "SCHED_FIFO" && s.policy !== "SCHED_RR") {
    throw new ConfigError(`${p}/priority`, "can only be set for SCHED_FIFO or SCHED_RR");
  }
  for (const field of ["runtime", "deadline", "period"] as const) {
    if (s[field] && s.policy !== "SCHED_DEADLINE") {
      throw new ConfigError(`${p}/${field}`, "can only be set for SCHED_DEADLINE");
    }
  }
};

const SCHEDULER = object<Scheduler>({
  policy: req(oneOf(SCHEDULER_POLICIES, "scheduler policy")),
  nice: opt(int32),
  priority: opt(int32),
  flags: opt(arrayOf(oneOf(SCHEDULER_FLAGS, "scheduler flag"))),
  runtime: opt(uint64),
  deadline: opt(uint64),
  period: opt(uint64),
}, schedulerFieldsFitPolicy);

/** A CPU or NUMA node list (runc's ToCPUSet); "" means none given. */
export function idList(what: string): Check<string> {
  const shape = matching(/^[0-9, -]*$/, what, 'must look like "0-3,7"');
  return (v, p) => {
    const text = shape(v, p);
    const ids = parseIdList(text);
    if (typeof ids === "string") throw new ConfigError(p, `invalid ${what} "${text}": ${ids}`);
    if (ids.length === 0 && text.trim() !== "") {
      throw new ConfigError(p, `invalid ${what} "${text}": no members found in set`);
    }
    return text;
  };
}

const cpuList = idList("CPU list");

const PROCESS = object<Process>({
  terminal: opt(boolean),
  // struct winsize holds unsigned shorts (ioctl_tty(2)).
  consoleSize: opt(object({ height: req(uint16), width: req(uint16) })),
  user: req(USER),
  args: opt(arrayOf(string)),
  commandLine: opt(string),
  env: opt(arrayOf(envEntry)),
  cwd: req(absolutePath),
  capabilities: opt(CAPABILITIES),
  rlimits: opt(arrayOf(RLIMIT, uniqueRlimits)),
  noNewPrivileges: opt(boolean),
  apparmorProfile: opt(string),
  // proc(5): /proc/pid/oom_score_adj takes -1000 to 1000.
  oomScoreAdj: opt(integer(-1000, 1000, "an integer from -1000 to 1000")),
  selinuxLabel: opt(string),
  ioPriority: opt(IO_PRIORITY),
  scheduler: opt(SCHEDULER),
  execCPUAffinity: opt(object<ExecCPUAffinity>({ initial: opt(cpuList), final: opt(cpuList) })),
});

/**
 * Reads a process object found at `pointerBase` ("/process" in config.json,
 * "" for a `runo exec --process` file). Throws ConfigError.
 */
export function parseProcess(json: unknown, pointerBase = "/process"): Process {
  return PROCESS(json, pointerBase);
}

/**
 * A `runo exec --process` file: a process object of which only `args`
 * (not empty) and `cwd` are required; no `user` means 0:0, the zero value
 * runc's exec gets. Pointers are the file's own ("/args").
 */
export function parseExecProcess(json: unknown): Process {
  const userless = typeof json === "object" && json !== null && !Array.isArray(json) &&
    !("user" in json);
  const p = PROCESS(userless ? { ...json, user: { uid: 0, gid: 0 } } : json, "");
  if (!p.args?.length) throw new ConfigError("/args", "must not be empty: exec needs a program");
  return p;
}
