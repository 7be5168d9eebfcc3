// The process `runo exec` runs, as runc's getProcess and newInitConfig
// build it: either the --process file, with the container's config
// supplying what the file leaves out (capabilities, no_new_privs, AppArmor
// profile, SELinux label, rlimits, env), or the container's process with
// the command-line flags applied on top. Users named on the command line
// are resolved in the container's /etc/passwd and /etc/group (the caller
// reads them inside the rootfs).
//
// Permissions: none.

import type { Capabilities, Process, Spec } from "../spec/types.ts";
import { parsePasswd } from "./passwd.ts";

/** A request exec cannot carry out (bad user, nothing to run). */
export class ExecError extends Error {
  /** For a program to switch on: always INVALID_EXEC. */
  readonly code = "INVALID_EXEC";
  /** An exec request that cannot run, saying why. */
  constructor(message: string) {
    super(message);
    this.name = "ExecError";
  }
}

/** What the exec command line asks for. */
export interface ExecRequest {
  /** The program and its arguments (after the container id). */
  readonly args: readonly string[];
  /** The parsed --process file. */
  readonly process?: Process;
  readonly tty?: boolean;
  readonly cwd?: string;
  readonly env?: readonly string[];
  /** --user: "uid[:gid]", or names from the container's passwd/group. */
  readonly user?: string;
  readonly additionalGids?: readonly number[];
  readonly caps?: readonly string[];
  readonly noNewPrivs?: boolean;
  readonly apparmor?: string;
  readonly processLabel?: string;
}

/** The container's /etc/passwd and /etc/group text (null when absent). */
export interface UserDb {
  readonly passwd: string | null;
  readonly group: string | null;
}

/** The process to exec, with the container's config as the default. */
export function execProcess(config: Spec, req: ExecRequest, db: UserDb): Process {
  const base = config.process;
  if (req.process) return fromFile(req.process, base);
  if (!base) throw new ExecError("the container's config has no process to start from");
  if (req.args.length === 0) throw new ExecError('"exec" requires a command to run');
  let user = base.user;
  if (req.user !== undefined) user = { ...user, ...resolveUser(req.user, db) };
  if (req.additionalGids?.length) {
    user = { ...user, additionalGids: [...(user.additionalGids ?? []), ...req.additionalGids] };
  }
  return {
    ...base,
    args: [...req.args],
    cwd: req.cwd || base.cwd,
    env: [...(base.env ?? []), ...(req.env ?? [])],
    terminal: req.tty ?? false,
    user,
    capabilities: addCaps(base.capabilities, req.caps ?? []),
    noNewPrivileges: req.noNewPrivs ?? base.noNewPrivileges,
    apparmorProfile: req.apparmor || base.apparmorProfile,
    selinuxLabel: req.processLabel || base.selinuxLabel,
  };
}

/**
 * As runc's newInitConfig, the file's fields win where it has them. One
 * difference on purpose: runc's CLI reads a missing noNewPrivileges as
 * false (it always sets the pointer), turning no_new_privs off for the
 * exec; runo keeps the container's.
 */
function fromFile(p: Process, base: Process | undefined): Process {
  return {
    ...p,
    env: p.env ?? base?.env,
    capabilities: p.capabilities ?? base?.capabilities,
    noNewPrivileges: p.noNewPrivileges ?? base?.noNewPrivileges,
    apparmorProfile: p.apparmorProfile || base?.apparmorProfile,
    selinuxLabel: p.selinuxLabel || base?.selinuxLabel,
    rlimits: p.rlimits?.length ? p.rlimits : base?.rlimits,
    // runc: the file's execCPUAffinity, else the container's.
    execCPUAffinity: p.execCPUAffinity ?? base?.execCPUAffinity,
  };
}

/** runc's `exec --cap`: added to the bounding, effective and permitted sets. */
function addCaps(caps: Capabilities | undefined, add: readonly string[]): Capabilities | undefined {
  if (add.length === 0) return caps;
  const more = (set: readonly string[] | undefined) => [...(set ?? []), ...add];
  return {
    ...caps,
    bounding: more(caps?.bounding),
    effective: more(caps?.effective),
    permitted: more(caps?.permitted),
  };
}

const NUMERIC = /^\d+$/;

/**
 * "uid[:gid]" as runc reads it, or a user/group name looked up in the
 * container's files; a named user without ":group" gets its passwd gid.
 */
export function resolveUser(spec: string, db: UserDb): { uid: number; gid?: number } {
  const [u, g] = spec.split(":", 2) as [string, string | undefined];
  if (u === "") throw new ExecError(`invalid --user "${spec}": empty user`);
  let uid: number;
  let gid: number | undefined;
  if (NUMERIC.test(u)) {
    uid = checkId(Number(u), spec);
  } else {
    const entry = parsePasswd(db.passwd ?? "").find((e) => e.name === u);
    if (!entry) throw new ExecError(`unable to find user ${u}: no matching entries in passwd file`);
    uid = entry.uid;
    gid = entry.gid;
  }
  if (g !== undefined && g !== "") {
    gid = NUMERIC.test(g) ? checkId(Number(g), spec) : groupId(g, db.group);
  }
  return gid === undefined ? { uid } : { uid, gid };
}

function groupId(name: string, group: string | null): number {
  for (const line of (group ?? "").split("\n")) {
    const f = line.split(":");
    if (f.length >= 3 && f[0] === name && NUMERIC.test(f[2])) return Number(f[2]);
  }
  throw new ExecError(`unable to find group ${name}: no matching entries in group file`);
}

function checkId(n: number, spec: string): number {
  if (n > 0xffffffff) throw new ExecError(`invalid --user "${spec}": id out of range`);
  return n;
}
