// delete: remove a stopped container's state; --force kills a running one
// first. A created container is destroyed as runc does.
//
// Permissions: --allow-ffi, --allow-read, --allow-write.

import { containerDir, lockDirIfExists, readState, removeContainerDir } from "../state/store.ts";
import { checkId, StateError } from "../state/state.ts";
import { kill, waitpidIfChild, WNOHANG } from "../../ffi/syscalls.ts";
import { sleep } from "../../ffi/event_fds.ts";
import { containerStatus, isInitAlive } from "./status.ts";
import type { ContainerState } from "../state/state.ts";
import { destroyCgroups, thawAfterKill } from "./cgroups.ts";
import { runPoststop } from "../hooks/lifecycle.ts";
import { cleanupCrashed } from "./crashed.ts";
import { load } from "../lazy.ts";
import { checkCgroupRecord } from "../cgroups/record_check.ts";
import { removeHostRootfsMount } from "./host_rootfs.ts";
import { phase } from "../log/trace.ts";

export async function deleteContainer(root: string, id: string, force = false): Promise<void> {
  const locked = lockedState(root, id, force);
  if (!locked) return;
  using _lock = locked.lock;
  const { state } = locked;
  if (!state) {
    // A create killed half-way: what it spawned is found through the
    // cgroups it recorded (lib/container/crashed.ts).
    await cleanupCrashed(containerDir(root, id));
    removeContainerDir(root, id);
    return;
  }
  // A record that would aim the kill at something else refuses the whole
  // delete, before the init is touched (lib/cgroups/record_check.ts).
  if (state.cgroup) checkCgroupRecord(state.cgroup);
  const rdt = state.intelRdt && { record: state.intelRdt, host: await loadRdt() };
  rdt?.host.checkRdtRecord(rdt.record);
  const status = containerStatus(root, state);
  phase("delete: lock + state + status");
  if (status === "running" || status === "paused") {
    if (!force) {
      throw new StateError(id, `cannot delete container ${id} that is not stopped: ${status}`);
    }
  }
  // A frozen process does not die of SIGKILL until thawed (runc thaws too).
  if (status === "paused" && state.cgroup) await thawAfterKill(state.cgroup, 9);
  if (status !== "stopped") await killAndWait(state);
  else reapIfOurs(state.pid);
  phase("delete: kill + reap");
  if (state.cgroup) await destroyCgroups(state.cgroup);
  phase("delete: cgroups");
  rdt?.host.removeRdt(rdt.record);
  removeHostRootfsMount(state.rootfs, state.hostRootfsMount);
  removeContainerDir(root, id);
  phase("delete: state dir");
  await runPoststop(state);
}

/**
 * The state read under the container's lock, so that a create still in
 * progress (it holds the lock) or a racing delete is waited for. Without
 * --force a missing or unreadable state is an error. With --force, runc's
 * rule: a container that does not exist is deleted already; a directory a
 * crashed runo left without a readable state.json is cleaned up (state null).
 */
function lockedState(
  root: string,
  id: string,
  force: boolean,
): { state: ContainerState | null; lock: Disposable } | null {
  checkId(id);
  const lock = lockDirIfExists(containerDir(root, id));
  if (!lock) {
    if (force) return null;
    throw new StateError(id, `container does not exist: ${id}`, "NOT_FOUND");
  }
  try {
    return { state: readState(root, id), lock };
  } catch (err) {
    if (!force) {
      lock[Symbol.dispose]();
      throw err;
    }
    return { state: null, lock };
  }
}

/**
 * A library caller (mod.ts) is the init's parent (stage 2 is cloned with
 * CLONE_PARENT): an init that exited is its zombie until reaped here, one
 * per container otherwise. For anyone else's child waitpid is ECHILD.
 */
function reapIfOurs(pid: number): void {
  waitpidIfChild(pid, WNOHANG);
}

/** SIGKILL the init and wait until it is gone (reaped by us or its parent). */
async function killAndWait(state: ContainerState): Promise<void> {
  kill(state.pid, 9);
  for (let waited = 0; waited < 10_000; waited += 5) {
    waitpidIfChild(state.pid, WNOHANG); // reaps it when we are its parent (run)
    if (!isInitAlive(state)) return;
    await sleep(5);
  }
  throw new StateError(state.id, `container ${state.id} did not die after SIGKILL`);
}

/** The resctrl steps, for a container that has intelRdt only. */
function loadRdt() {
  return load<typeof import("../intelrdt/host.ts")>("lib/intelrdt/host.ts");
}
