// A container's cgroups through create: the manager chosen once, its init
// placed in the cgroups at spawn (before any namespace exists), limits set
// at procReady, and on failure only what this create made is removed.
//
// Permissions: --allow-ffi, --allow-read.

import type { Spec } from "../spec/types.ts";
import type { HostFacts } from "../../init/standard_init.ts";
import type { CgroupManager, CgroupRecord } from "./manager.ts";
import { hostCgroupLayout, hostCgroupManager, ownProcsFile } from "./host.ts";
import { deviceRules } from "./devices.ts";
import { checkNoUnified } from "./v1/manager.ts";
import { CgroupInUseError } from "./shell.ts";
import { kill } from "../../ffi/syscalls.ts";
import { writeKernelFileAsync } from "../../ffi/kernfs.ts";
import { log } from "../log/log.ts";

export class ContainerCgroups {
  readonly manager: CgroupManager;
  readonly #spec: Spec;
  readonly #warn: (msg: string) => void;
  readonly #primeFile?: string;
  /** Set once apply got past the in-use check: from then on the dirs are ours. */
  #owned = false;

  /** primeFile: our own cgroup.procs, for prime(). */
  constructor(
    manager: CgroupManager,
    spec: Spec,
    warn: (msg: string) => void,
    primeFile?: string,
  ) {
    this.manager = manager;
    this.#spec = spec;
    this.#warn = warn;
    this.#primeFile = primeFile;
  }

  /**
   * Starts, in the background, a move of this process into the cgroup it
   * is already in: a no-op for the kernel, but every write to a
   * cgroup.procs takes the global cgroup_threadgroup_rwsem for writing, and
   * the first writer after a quiet spell waits for an RCU grace period
   * (8-15 ms measured here). Issued ~10 ms before onSpawn, that wait
   * overlaps the planning; onSpawn's writes then find the lock warm (for
   * about one grace period after its last writer) and take ~0.1 ms. A
   * failed write only loses the gain.
   */
  prime(): void {
    if (this.#primeFile === undefined) return;
    writeKernelFileAsync(this.#primeFile, String(Deno.pid)).catch(() => {});
  }

  get record(): CgroupRecord {
    return this.manager.record;
  }

  /** The planner's host facts, with the container's own cgroup paths for its cgroup mount. */
  hostFacts(facts: HostFacts): HostFacts {
    if (facts.cgroup.mode === "unified") return facts;
    return { ...facts, cgroup: { mode: facts.cgroup.mode, v1: this.manager.v1Paths() } };
  }

  /** launchInit's onSpawn: stage 0 joins; every later stage inherits. */
  readonly onSpawn = async (pid: number): Promise<void> => {
    try {
      this.#owned = true;
      await this.manager.apply(pid);
    } catch (err) {
      if (err instanceof CgroupInUseError) this.#owned = false;
      throw err;
    }
  };

  /** launchInit's onReady: limits first, then `next` (prestart hooks), as runc. */
  onReady(
    next?: (pid: number) => void | Promise<void>,
  ): (pid: number) => Promise<void> {
    return async (pid: number) => {
      const resources = this.#spec.linux?.resources ?? {};
      for (const w of this.manager.set(resources, deviceRules(this.#spec))) this.#warn(w);
      await next?.(pid);
    };
  }

  /** After a failed create: remove the cgroups this create made, if any. */
  async cleanup(): Promise<void> {
    if (!this.#owned) return;
    for (const pid of this.manager.pids()) kill(pid, 9);
    await this.manager.destroy();
  }
}

export async function containerCgroups(
  spec: Spec,
  id: string,
  systemdCgroup: boolean | undefined,
  rootless = false,
  warn: (msg: string) => void = (msg) => log.warn(msg),
): Promise<ContainerCgroups> {
  const layout = hostCgroupLayout();
  const manager = await hostCgroupManager({ spec, id, systemdCgroup, rootless }, layout);
  // Refused before anything exists, rather than at procReady.
  if (manager.record.version === 1) checkNoUnified(spec.linux?.resources ?? {});
  return new ContainerCgroups(manager, spec, warn, ownProcsFile(layout));
}
