// pause and resume: freeze and thaw every process of a running container
// (freezer.state on v1, cgroup.freeze on v2), as runc's pause/resume.
//
// Permissions: --allow-ffi, --allow-read.

import { containerDir, lockDir, readState } from "../state/store.ts";
import { type ContainerState, StateError } from "../state/state.ts";
import { containerStatus } from "./status.ts";
import { recordedCgroupManager } from "../cgroups/recorded.ts";
import type { CgroupManager } from "../cgroups/manager.ts";

async function managerOf(
  root: string,
  id: string,
  want: string,
): Promise<[ContainerState, CgroupManager]> {
  const state = readState(root, id);
  const status = containerStatus(root, state);
  if (status !== want) throw new StateError(id, `container ${id} is not ${want}: ${status}`);
  // A rootless container outside a delegated subtree shares its caller's
  // cgroups (lib/rootless): there is nothing of its own to freeze.
  if (!state.cgroup || Object.keys(state.cgroup.paths).length === 0) {
    const verb = want === "running" ? "pause" : "resume";
    throw new StateError(
      id,
      `cannot ${verb} container ${id}: it has no cgroup of its own (rootless, no delegated cgroup)`,
    );
  }
  return [state, await recordedCgroupManager(state.cgroup)];
}

export async function pauseContainer(root: string, id: string): Promise<void> {
  using _lock = lockDir(containerDir(root, id));
  const [, m] = await managerOf(root, id, "running");
  await m.freeze();
}

export async function resumeContainer(root: string, id: string): Promise<void> {
  using _lock = lockDir(containerDir(root, id));
  const [, m] = await managerOf(root, id, "paused");
  m.thaw();
}
