// The shim's record of a task (a container) and its processes: the init
// and each exec'd process, with its stdio, pid, status and exit. An exit
// is recorded once (the reaper reports it) and every Wait sees the same
// status and time.
//
// Permissions: none (the ProcessIO it holds has its own).

import type { Runtime } from "../../mod.ts";
import type { ProcessIO, StdioRequest } from "../io.ts";
import type { Process } from "../../lib/spec/types.ts";
import { type Timestamp, timestampOf } from "../proto/types.ts";
import { Code, ShimError } from "../errors.ts";

const SPEC_PROCESS = "types.containerd.io/opencontainers/runtime-spec/1/Process";

export type ProcStatus = "created" | "running" | "stopped";

export class Proc {
  pid = 0;
  status: ProcStatus = "created";
  exitStatus = 0;
  /** When it exited (ms since the epoch); 0 while it runs. */
  exitedAt = 0;
  readonly #exited = Promise.withResolvers<void>();
  /** Settles once the start event (if any) went out: the exit event follows it. */
  readonly started = Promise.withResolvers<void>();

  constructor(
    /** The container id for the init, the exec id for an exec'd process. */
    readonly id: string,
    readonly stdio: StdioRequest,
    readonly io: ProcessIO,
    /** An exec'd process's OCI process (containerd's spec); none for the init. */
    readonly process?: Process,
  ) {}

  /** Resolves when the process has exited and its exit is recorded. */
  get done(): Promise<void> {
    return this.#exited.promise;
  }

  /** When it exited, for containerd; none while it runs. */
  exitTime(): Timestamp | undefined {
    return this.exitedAt ? timestampOf(this.exitedAt) : undefined;
  }

  /** Delete's answer: pid, exit status and time. */
  exitOf(): { pid: number; exitStatus: number; exitedAt?: Timestamp } {
    return { pid: this.pid, exitStatus: this.exitStatus, exitedAt: this.exitTime() };
  }

  setExited(exitStatus: number, at: number): void {
    if (this.status === "stopped") return;
    this.status = "stopped";
    this.exitStatus = exitStatus;
    this.exitedAt = at;
    this.#exited.resolve();
  }
}

export class Task {
  readonly execs = new Map<string, Proc>();
  /** Set while Delete runs, so a second Delete or a racing Create waits. */
  deleting = false;

  constructor(
    readonly id: string,
    readonly bundle: string,
    readonly runtime: Runtime,
    readonly init: Proc,
    /** Where the rootfs mounts went ("" when containerd passed none). */
    readonly rootfsTarget: string,
    /** False when it shares a pid namespace (the host's, a pod's): see TaskService. */
    readonly ownPidNamespace: boolean,
  ) {}

  /** The init (execId "") or the exec'd process `execId`. */
  process(execId: string): Proc | undefined {
    return execId === "" ? this.init : this.execs.get(execId);
  }

  /** Every process with a pid. */
  *processes(): Generator<Proc> {
    yield this.init;
    yield* this.execs.values();
  }
}

/** containerd's exec spec: an Any holding the OCI process as JSON. */
export function parseProcess(spec: { typeUrl: string; value: Uint8Array } | undefined): Process {
  if (!spec) throw new ShimError(Code.INVALID_ARGUMENT, "exec without a process spec");
  if (spec.typeUrl !== SPEC_PROCESS && !spec.typeUrl.endsWith("/Process")) {
    throw new ShimError(
      Code.INVALID_ARGUMENT,
      `exec spec of type ${spec.typeUrl}, want ${SPEC_PROCESS}`,
    );
  }
  try {
    return JSON.parse(new TextDecoder().decode(spec.value));
  } catch {
    throw new ShimError(Code.INVALID_ARGUMENT, "exec spec is not an OCI process in JSON");
  }
}
