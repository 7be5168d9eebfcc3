// A container's cgroups through create: the manager chosen once, its init
// placed in the cgroups at spawn (before any namespace exists), limits set
// at procReady, and on failure only what this create made is removed.
//
// Permissions: --allow-ffi, --allow-read.

import type { Spec } from "../spec/types.ts";
import type { HostFacts } from "../bootstrap/host_facts.ts";
import type { CgroupManager, CgroupRecord } from "./manager.ts";
import { hostCgroupLayout, hostCgroupManager } from "./host.ts";
import { deviceRules } from "./devices.ts";
import { checkNoUnified } from "./v1/manager.ts";
import { CgroupInUseError } from "./shell.ts";
import { kill } from "../../ffi/syscalls.ts";
import { log } from "../log/log.ts";
import { frozenCgroup } from "./frozen.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";

export class ContainerCgroups {
  readonly manager: CgroupManager;
  readonly #spec: Spec;
  readonly #warn: (msg: string) => void;
  /** Set once apply got past the in-use check: from then on the dirs are ours. */
  #owned = false;
  /** The cgroup held other processes before (checkExisting). */
  #shared = false;

  constructor(manager: CgroupManager, spec: Spec, warn: (msg: string) => void) {
    this.manager = manager;
    this.#spec = spec;
    this.#warn = warn;
  }

  get record(): CgroupRecord {
    return this.#shared ? { ...this.manager.record, shared: true } : this.manager.record;
  }

  /**
   * Once the id is known to be new (a duplicate's cgroup is its twin's),
   * before the init joins: a frozen cgroup (or ancestor) is refused, as
   * runc does, since the init would stop there and create wait for ever.
   * runc 1.1: a cgroup that already holds processes is used, with its
   * warning (runc 1.2 refuses it). Those processes are not ours: the
   * record says shared, so neither a failed create nor delete kills
   * through the cgroup or removes it. The systemd driver refuses such a
   * unit at apply instead.
   */
  checkExisting(read: (path: string) => string | null = readKernelFileIfExists): void {
    const frozen = frozenCgroup(read, this.manager.record);
    if (frozen) throw new Error(`Cannot use cgroup "${frozen}": it is frozen (thaw it first)`);
    if (this.manager.record.systemd) return;
    const n = this.manager.pids().length;
    if (n === 0) return;
    this.#warn(`container's cgroup is not empty: ${n} process(es) found`);
    this.#shared = true;
  }

  /** The planner's host facts, with the container's own cgroup paths for its cgroup mount. */
  hostFacts(facts: HostFacts): HostFacts {
    if (facts.cgroup.mode === "unified") return facts;
    return { ...facts, cgroup: { mode: facts.cgroup.mode, v1: this.manager.v1Paths() } };
  }

  /** launchInit's onSpawn: stage 0 joins; every later stage inherits. */
  readonly onSpawn = async (pid: number): Promise<void> => {
    try {
      this.#owned = !this.#shared;
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

  /**
   * When the init stalls (frozen after checkExisting, by a pause or by
   * hand): thawed, so that the kill that follows takes on a v1 freezer.
   */
  readonly thaw = (): void => {
    try {
      this.manager.thaw();
    } catch (err) {
      this.#warn(`cannot thaw the container's cgroup: ${(err as Error).message}`);
    }
  };

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
  layout = hostCgroupLayout(),
): Promise<ContainerCgroups> {
  const manager = await hostCgroupManager({ spec, id, systemdCgroup, rootless }, layout);
  // Refused before anything exists, rather than at procReady.
  if (manager.record.version === 1) checkNoUnified(spec.linux?.resources ?? {});
  return new ContainerCgroups(manager, spec, warn);
}
