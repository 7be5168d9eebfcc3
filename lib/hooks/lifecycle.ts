// Where each hook phase runs in the container lifecycle (runtime spec 1.3
// "Lifecycle", runc's current main):
//   create, at procReady: prestart, createRuntime (runtime namespaces), and
//     the state file the init's createContainer hooks read;
//   start, before the fifo is released: the state file rewritten for the
//     init's startContainer hooks; once the init has exec'd the program:
//     poststart;
//   delete, after the container is gone: poststop.
// The state on stdin says "created" until the program runs (the spec's
// "after step 2", as crun; runc says "creating" before start), "running"
// for poststart, "stopped" for poststop. prestart/createRuntime failures
// fail create (the caller destroys the container); a poststart failure
// fails start (the caller kills the container, as runc); poststop
// failures are logged and ignored.
//
// Permissions: --allow-ffi, --allow-read, --allow-write.

import type { Spec } from "../spec/types.ts";
import { type ContainerState, parseProcStat, type Status } from "../state/state.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";
import { recordedIsFrozen } from "../cgroups/frozen.ts";
import { close, O_CLOEXEC, O_RDWR, open } from "../../ffi/syscalls.ts";
import { log } from "../log/log.ts";
import { hasInitHooks } from "../spec/hooks.ts";
import { innermostPid } from "./ns_pid.ts";
import { runHooks, runHooksLenient } from "./run.ts";

/** The init's createContainer/startContainer hooks read the state from here. */
export const hookStatePath = (dir: string) => `${dir}/hook-state.json`;

/** The runtime spec's State, as runc hands it to hooks. */
export function hookStateJson(
  s: Pick<ContainerState, "ociVersion" | "id" | "bundle" | "annotations">,
  status: Status,
  pid: number,
): string {
  return JSON.stringify({
    ociVersion: s.ociVersion,
    id: s.id,
    status,
    pid,
    bundle: s.bundle,
    ...(s.annotations ? { annotations: s.annotations } : {}),
  });
}

export interface CreateHooks extends Disposable {
  /** The parent's fd of the state file, to pass to the init; none without init hooks. */
  readonly stateFd?: number;
  /** Runs at procReady: fills the state file, runs prestart and createRuntime. */
  onReady(initPid: number): Promise<void>;
}

export function prepareCreateHooks(
  dir: string,
  base: Pick<ContainerState, "ociVersion" | "id" | "bundle" | "annotations">,
  spec: Spec,
): CreateHooks {
  let stateFd: number | undefined;
  if (hasInitHooks(spec.hooks)) {
    Deno.writeTextFileSync(hookStatePath(dir), "", { mode: 0o600 });
    // Read-write: a failing startContainer hook leaves its error here.
    stateFd = open(hookStatePath(dir), O_RDWR | O_CLOEXEC);
  }
  return {
    stateFd,
    async onReady(initPid) {
      // "created": the environment is set up (the spec's lifecycle step 2
      // is over), the program not yet run. The pid as each hook's side sees it.
      const json = hookStateJson(base, "created", initPid);
      // Rewritten in place: the init holds an fd to this very inode.
      if (stateFd !== undefined) {
        Deno.writeTextFileSync(
          hookStatePath(dir),
          hookStateJson(base, "created", pidInside(initPid)),
        );
      }
      await runHooks(spec.hooks, "prestart", json);
      await runHooks(spec.hooks, "createRuntime", json);
    },
    [Symbol.dispose]() {
      if (stateFd !== undefined) close(stateFd);
    },
  };
}

/** Before `start` releases the fifo: the startContainer hooks see "created". */
export function prepareStartHooks(dir: string, state: ContainerState): void {
  if ((state.config.hooks?.startContainer?.length ?? 0) === 0) return;
  Deno.writeTextFileSync(hookStatePath(dir), hookStateJson(state, "created", pidInside(state.pid)));
}

/** The init's pid in its pid namespace, for the hooks run there. */
function pidInside(hostPid: number): number {
  const status = readKernelFileIfExists(`/proc/${hostPid}/status`);
  return (status === null ? null : innermostPid(status)) ?? hostPid;
}

/**
 * After start, once the program runs: poststart, in order; the first
 * failure throws (HookError) and the hooks after it do not run (spec 1.3:
 * "the runtime MUST generate an error, stop the container").
 */
export async function runPoststart(state: ContainerState): Promise<void> {
  await runHooks(state.config.hooks, "poststart", hookStateJson(state, "running", state.pid));
}

/** After delete: poststop, failures logged (the container is gone already). */
export async function runPoststop(state: ContainerState): Promise<void> {
  const json = hookStateJson(state, "stopped", state.pid);
  for (const err of await runHooksLenient(state.config.hooks, "poststop", json)) {
    log.warn(err.message);
  }
}

/** The init's name until it execs the container's program (nsexec.c sets it). */
const INIT_COMM = "runo:[2:INIT]";

/** What the init writes over the state file when a startContainer hook fails (c/hooks.h). */
export const HOOK_ERROR_PREFIX = "runo-hook-error: ";

/**
 * After `start` released the fifo of a container with startContainer or
 * poststart hooks: waits until the init has exec'd the program or is gone
 * (poststart runs after the program started), then returns the failure a
 * startContainer hook left in the state file (null: none failed). A
 * program that exits at once is told apart from a failed hook by that
 * file, not by the process.
 */
export async function awaitStartHooks(dir: string, state: ContainerState): Promise<string | null> {
  const hooks = state.config.hooks;
  const inInit = (hooks?.startContainer?.length ?? 0) > 0;
  if (!inInit && (hooks?.poststart?.length ?? 0) === 0) return null;
  for (let delay = 1;; delay = Math.min(delay * 2, 50)) {
    const stat = readKernelFileIfExists(`/proc/${state.pid}/stat`);
    const parsed = stat === null ? null : parseProcStat(stat);
    const gone = parsed === null || parsed.state === "Z" ||
      parsed.startTime !== state.initStartTime;
    const comm = stat?.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    if (gone || comm !== INIT_COMM) break;
    // Frozen meanwhile (pause, or a freeze from outside): it would never get there.
    if (delay === 50 && state.cgroup && recordedIsFrozen(state.cgroup)) {
      throw new Error(`container ${state.id}: its cgroup was frozen before the program started`);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  if (!inInit) return null;
  const text = Deno.readTextFileSync(hookStatePath(dir));
  return text.startsWith(HOOK_ERROR_PREFIX) ? text.slice(HOOK_ERROR_PREFIX.length) : null;
}
