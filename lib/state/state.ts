// What runo records about a container in <root>/<id>/state.json, and the
// rules that turn it plus the live process into an OCI status.
//
// Permissions: none.

import type { Spec } from "../spec/types.ts";
import type { CgroupRecord } from "../cgroups/manager.ts";
import type { RdtRecord } from "../intelrdt/resctrl.ts";

export type Status = "creating" | "created" | "running" | "paused" | "stopped";

export interface ContainerState {
  readonly ociVersion: string;
  readonly id: string;
  /** The container's init (stage 2) pid in the host pid namespace. */
  readonly pid: number;
  readonly bundle: string;
  readonly rootfs: string;
  /** RFC 3339 creation time. */
  readonly created: string;
  readonly owner: string;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Field 22 of /proc/<pid>/stat at create: tells a reused pid apart. */
  readonly initStartTime: string;
  /** The validated config, kept for exec, hooks and delete. */
  readonly config: Spec;
  /** The container's cgroups (lib/cgroups/manager.ts), to find them again. */
  readonly cgroup?: CgroupRecord;
  /** The host's NOTIFY_SOCKET at create (lib/notify): start tells it READY. */
  readonly notifySocket?: string;
  /**
   * No mount namespace: the id of the rootfs bind the init made in the
   * host's mount table, detached on delete (lib/container/host_rootfs.ts).
   */
  readonly hostRootfsMount?: string;
  /** The resctrl groups of linux.intelRdt (lib/intelrdt), to join and remove. */
  readonly intelRdt?: RdtRecord;
}

/**
 * What a {@linkcode StateError} is about, for a program to switch on:
 * NOT_FOUND (no such container), ALREADY_EXISTS (the id is taken),
 * INVALID_ID (the id breaks runc's rule), INVALID_STATE (the container's
 * status forbids the operation), START_FAILED (its init or a
 * startContainer hook failed at start).
 */
export type StateErrorCode =
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "INVALID_ID"
  | "INVALID_STATE"
  | "START_FAILED";

/** A container that is missing, taken, misnamed or in the wrong status. */
export class StateError extends Error {
  /** The container's id. */
  readonly id: string;
  /** What is wrong, for a program to switch on. */
  readonly code: StateErrorCode;
  /** The error about container `id`; `code` defaults to INVALID_STATE. */
  constructor(id: string, message: string, code: StateErrorCode = "INVALID_STATE") {
    super(message);
    this.name = "StateError";
    this.id = id;
    this.code = code;
  }
}

/** runc's rule: letters, digits, '_', '+', '-', '.', and not "." or "..". */
export function checkId(id: string): void {
  if (id === "") throw new StateError(id, "container id cannot be empty", "INVALID_ID");
  // The id names the state dir and the cgroup dirs: NAME_MAX is 255 bytes.
  if (id.length > 255) {
    throw new StateError(
      id,
      `invalid container id: ${id.length} characters, at most 255 allowed`,
      "INVALID_ID",
    );
  }
  if (!/^[\w+.-]+$/.test(id) || id === "." || id === "..") {
    throw new StateError(
      id,
      `invalid container id "${id}": only [A-Za-z0-9_+.-] allowed`,
      "INVALID_ID",
    );
  }
}

export interface ProcStat {
  /** One-letter process state: R, S, D, Z, T, … */
  readonly state: string;
  /** Start time in clock ticks since boot (field 22). */
  readonly startTime: string;
}

/** Parses /proc/<pid>/stat; the comm field may hold spaces and parens. */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(")");
  if (close < 0) throw new Error(`Cannot parse /proc stat line: ${JSON.stringify(text)}`);
  const fields = text.slice(close + 2).trim().split(" ");
  // fields[0] is field 3 (state); field 22 is fields[19].
  if (fields.length < 20) throw new Error(`Cannot parse /proc stat line: too few fields`);
  return { state: fields[0], startTime: fields[19] };
}

/** The facts status derivation needs, gathered by the caller. */
export interface LiveFacts {
  /** /proc/<pid>/stat of the recorded pid, or null if it does not exist. */
  readonly stat: ProcStat | null;
  readonly fifoExists: boolean;
  readonly frozen: boolean;
}

/**
 * runc's rules: a pid that is gone, a zombie, or a different process (the
 * start time differs) means stopped; an exec fifo still present means the
 * init waits for start (created); otherwise running, or paused if frozen.
 */
export function deriveStatus(state: ContainerState, live: LiveFacts): Status {
  if (!live.stat || live.stat.state === "Z" || live.stat.state === "X") return "stopped";
  if (live.stat.startTime !== state.initStartTime) return "stopped";
  if (live.frozen) return "paused";
  return live.fifoExists ? "created" : "running";
}

/** The OCI state document (runtime spec "State"), as `runo state` prints it. */
export interface OciState {
  readonly ociVersion: string;
  readonly id: string;
  readonly pid: number;
  readonly status: Status;
  readonly bundle: string;
  readonly rootfs: string;
  readonly created: string;
  readonly owner: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export function ociState(state: ContainerState, status: Status): OciState {
  return {
    ociVersion: state.ociVersion,
    id: state.id,
    pid: status === "stopped" ? 0 : state.pid,
    status,
    bundle: state.bundle,
    rootfs: state.rootfs,
    created: state.created,
    // runc's key order: annotations, then owner.
    ...(state.annotations ? { annotations: state.annotations } : {}),
    owner: state.owner,
  };
}

/** Parses state.json text; throws with the file named when it is not ours. */
export function parseStateFile(text: string, file: string): ContainerState {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot parse ${file}: ${(err as Error).message}`);
  }
  const s = v as Partial<ContainerState> | null;
  if (
    !s || typeof s !== "object" || typeof s.id !== "string" || typeof s.pid !== "number" ||
    typeof s.bundle !== "string" || typeof s.initStartTime !== "string" ||
    typeof s.config !== "object"
  ) {
    throw new Error(`Cannot parse ${file}: not a runo state file`);
  }
  return s as ContainerState;
}
