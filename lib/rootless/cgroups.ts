// Cgroups of a rootless container: the cgroup manager is used as is when
// the caller may write every directory the container's cgroups would be
// made in (a delegated subtree, as systemd gives a user), and is replaced
// by a manager that does nothing otherwise, as runc does for rootless
// containers without cgroup access: no cgroup is made or recorded, limits
// are dropped with a warning, and the container's cgroup mount (a bind
// per v1 hierarchy without a cgroup namespace) shows runo's own cgroups.
// This is the seam to lib/cgroups (owned by the cgroups issue): it only
// wraps containerCgroups() and the CgroupManager interface.
//
// Permissions: --allow-ffi, --allow-read.

import type { Spec } from "../spec/types.ts";
import type { CgroupManager, CgroupRecord } from "../cgroups/manager.ts";
import { ContainerCgroups, containerCgroups } from "../cgroups/container.ts";
import { hostCgroupLayout } from "../cgroups/host.ts";
import type { CgroupLayout } from "../cgroups/layout.ts";
import { emptyStats } from "../cgroups/stats.ts";
import { canWriteDir } from "../../ffi/userns.ts";
import { log } from "../log/log.ts";

/** The nearest existing ancestor of `dir` (itself included) is writable by us. */
export function writableTree(dir: string, canWrite: (d: string) => boolean | undefined): boolean {
  for (let d = dir; d !== ""; d = d.slice(0, d.lastIndexOf("/"))) {
    const w = canWrite(d);
    if (w !== undefined) return w;
  }
  return canWrite("/") === true;
}

/** True when `resources` asks for anything a cgroup would enforce. */
export function hasLimits(spec: Spec): boolean {
  const r = spec.linux?.resources ?? {};
  return Object.entries(r).some(([k, v]) =>
    v !== undefined && !(k === "devices" && Array.isArray(v) && v.length === 0)
  );
}

/** A manager that makes, records and enforces nothing. */
export class SkippedCgroups implements CgroupManager {
  readonly record: CgroupRecord;
  readonly #own: { mountpoint: string; path: string }[];

  constructor(version: 1 | 2, own: { mountpoint: string; path: string }[]) {
    this.record = { version, paths: {} };
    this.#own = own;
  }

  apply(): void {}
  set(): string[] {
    return [];
  }
  freeze(): Promise<void> {
    return Promise.reject(new Error("the container has no cgroup (rootless): it cannot be paused"));
  }
  thaw(): void {}
  isFrozen(): boolean {
    return false;
  }
  pids(): number[] {
    return [];
  }
  stats() {
    return emptyStats();
  }
  oomKills(): number {
    return 0;
  }
  destroy(): Promise<void> {
    return Promise.resolve();
  }
  v1Paths(): { mountpoint: string; path: string }[] {
    return this.#own;
  }
}

/**
 * A delegated manager: everything as the real one but device rules, which
 * the v1 devices controller takes only from host root (CAP_SYS_ADMIN) and
 * a v2 BPF filter only with CAP_BPF, so they are not applied (as runc).
 */
export class DelegatedCgroups implements CgroupManager {
  readonly #real: CgroupManager;

  constructor(real: CgroupManager) {
    this.#real = real;
  }

  get record(): CgroupRecord {
    return this.#real.record;
  }
  apply(pid: number): void | Promise<void> {
    return this.#real.apply(pid);
  }
  set(resources: Parameters<CgroupManager["set"]>[0]): string[] {
    log.debug("rootless: device cgroup rules not applied (they need host root)");
    return this.#real.set(resources);
  }
  freeze(): Promise<void> {
    return this.#real.freeze();
  }
  thaw(): void {
    this.#real.thaw();
  }
  isFrozen(): boolean {
    return this.#real.isFrozen();
  }
  pids(): number[] {
    return this.#real.pids();
  }
  stats() {
    return this.#real.stats();
  }
  oomKills(): number {
    return this.#real.oomKills();
  }
  oomNotifier() {
    return this.#real.oomNotifier?.();
  }
  destroy(): Promise<void> {
    return this.#real.destroy();
  }
  v1Paths(): { mountpoint: string; path: string }[] {
    return this.#real.v1Paths();
  }
}

/** containerCgroups() for a rootless caller. */
export async function rootlessCgroups(
  spec: Spec,
  id: string,
  systemdCgroup: boolean | undefined,
  // Read once: the skipped manager below needs this process's own cgroups.
  layout: CgroupLayout = hostCgroupLayout(),
): Promise<ContainerCgroups> {
  const real = await containerCgroups(spec, id, systemdCgroup, true, undefined, layout);
  const dirs = Object.values(real.record.paths);
  const blocked = dirs.find((d) => !writableTree(d, canWriteDir));
  if (blocked === undefined) {
    log.debug(`rootless: using delegated cgroups ${dirs.join(", ")}`);
    return new ContainerCgroups(new DelegatedCgroups(real.manager), spec, (msg) => log.warn(msg));
  }
  log.debug(`rootless: cgroups skipped, "${blocked}" is not writable by this user`);
  if (hasLimits(spec)) {
    log.warn("rootless: linux.resources ignored, the cgroups are not writable by this user");
  }
  const own = layout.v1.map((h) => ({ mountpoint: h.mountpoint, path: h.ownPath }));
  return new ContainerCgroups(
    new SkippedCgroups(real.record.version, own),
    spec,
    (msg) => log.warn(msg),
  );
}
