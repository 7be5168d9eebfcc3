// The cgroup v1 manager: one directory per mounted hierarchy (and, on a
// hybrid host, one in the unified tree too, as runc 1.1 joins it). Plans
// come from the per-controller modules beside this file.
//
// Permissions: as the CgroupFs it is given (kernel: --allow-ffi).

import type { Resources } from "../../spec/types.ts";
import { ConfigError } from "../../spec/config_error.ts";
import type { CgroupManager, CgroupRecord, OomNotifier } from "../manager.ts";
import type { CgroupLayout } from "../layout.ts";
import { allPids, type CgroupFs, readRequired } from "../fs.ts";
import type { DeviceCgroupRule } from "../devices.ts";
import { devicesV1Transition } from "./devices.ts";
import type { ControllerPlan } from "../write.ts";
import type { Stats } from "../stats.ts";
import { memoryPlan } from "./memory.ts";
import { cpuPlan, cpusetPlan } from "./cpu.ts";
import { pidsPlan } from "./pids.ts";
import { blkioPlan } from "./blkio.ts";
import { hugetlbPlan, netClsPlan, netPrioPlan, rdmaPlan } from "./misc.ts";
import { v1Stats } from "./stats.ts";
import { createLeaf, destroyDirs, joinProcs, refuseInUse, waitFrozen } from "../shell.ts";

/** Where in the config each controller's limits come from. */
const POINTER: Record<string, string> = {
  memory: "/linux/resources/memory",
  cpu: "/linux/resources/cpu",
  cpuset: "/linux/resources/cpu",
  pids: "/linux/resources/pids",
  blkio: "/linux/resources/blockIO",
  hugetlb: "/linux/resources/hugepageLimits",
  net_cls: "/linux/resources/network",
  net_prio: "/linux/resources/network",
  rdma: "/linux/resources/rdma",
};

export class V1Manager implements CgroupManager {
  readonly record: CgroupRecord;
  readonly #fs: CgroupFs;
  readonly #layout?: CgroupLayout;

  constructor(record: CgroupRecord, fs: CgroupFs, layout?: CgroupLayout) {
    this.record = record;
    this.#fs = fs;
    this.#layout = layout;
  }

  /** The directory of the hierarchy that has `controller`, if mounted. */
  path(controller: string): string | undefined {
    for (const [key, dir] of Object.entries(this.record.paths)) {
      if (key.split(",").includes(controller)) return dir;
    }
    return undefined;
  }

  apply(pid: number): void {
    const dirs = Object.entries(this.record.paths);
    refuseInUse(this.#fs, dirs.map(([, d]) => d));
    for (const [key, dir] of dirs) {
      const mountpoint = this.#mountpointOf(key);
      createLeaf(this.#fs, mountpoint, dir, key.split(",").includes("cpuset"));
    }
    joinProcs(this.#fs, dirs.map(([, d]) => d), pid);
  }

  set(r: Resources, devices?: readonly DeviceCgroupRule[]): string[] {
    const warnings: string[] = [];
    const plans: [string, ControllerPlan][] = [
      ["memory", memoryPlan(r.memory, { limit: this.#memoryLimit() })],
      ["cpu", cpuPlan(r.cpu)],
      ["cpuset", cpusetPlan(r.cpu)],
      ["pids", pidsPlan(r.pids)],
      ["blkio", blkioPlan(r.blockIO, { weightPrefix: this.#blkioPrefix() })],
      ["hugetlb", hugetlbPlan(r.hugepageLimits)],
      ["net_cls", netClsPlan(r.network)],
      ["net_prio", netPrioPlan(r.network)],
      ["rdma", rdmaPlan(r.rdma)],
    ];
    if (devices) {
      const dir = this.path("devices");
      const list = dir ? this.#fs.read(`${dir}/devices.list`) : null;
      plans.push(["devices", devicesV1Transition(list, devices)]);
    }
    checkNoUnified(r);
    // Limits asked of a controller the host lacks are refused before any
    // write, as runc does, rather than silently not enforced.
    for (const [controller, plan] of plans) {
      if (plan.writes.length === 0 || this.path(controller) || controller === "devices") continue;
      throw new ConfigError(
        POINTER[controller],
        `cgroup v1 controller "${controller}" is not mounted on this host`,
      );
    }
    for (const [controller, plan] of plans) {
      warnings.push(...plan.warnings);
      const dir = this.path(controller);
      if (plan.writes.length === 0) continue;
      if (!dir) {
        warnings.push(
          `cgroup controller "${controller}" is not mounted: device rules not enforced`,
        );
        continue;
      }
      for (const { file, value } of plan.writes) this.#fs.write(`${dir}/${file}`, value);
    }
    return warnings;
  }

  async freeze(): Promise<void> {
    const dir = this.#freezer();
    this.#fs.write(`${dir}/freezer.state`, "FROZEN");
    await waitFrozen(
      () => {
        const s = readRequired(this.#fs, `${dir}/freezer.state`).trim();
        if (s !== "FROZEN") this.#fs.write(`${dir}/freezer.state`, "FROZEN");
        return s === "FROZEN";
      },
      () => this.thaw(),
      dir,
    );
  }

  thaw(): void {
    this.#fs.write(`${this.#freezer()}/freezer.state`, "THAWED");
  }

  isFrozen(): boolean {
    const dir = this.path("freezer");
    return dir !== undefined && this.#fs.read(`${dir}/freezer.state`)?.trim() === "FROZEN";
  }

  pids(): number[] {
    const dir = this.path("pids") ?? this.path("freezer") ?? Object.values(this.record.paths)[0];
    return allPids(this.#fs, dir);
  }

  stats(): Stats {
    return v1Stats(this.#fs, (c) => this.path(c));
  }

  oomKills(): number {
    const dir = this.path("memory");
    const m = /^oom_kill (\d+)$/m.exec(this.#fs.read(`${dir}/memory.oom_control`) ?? "");
    return m ? Number(m[1]) : 0;
  }

  oomNotifier(): OomNotifier | undefined {
    const dir = this.path("memory");
    if (!dir) return undefined;
    return {
      kind: "eventfd",
      control: `${dir}/memory.oom_control`,
      eventControl: `${dir}/cgroup.event_control`,
    };
  }

  async destroy(): Promise<void> {
    await destroyDirs(this.#fs, Object.values(this.record.paths));
  }

  v1Paths(): { mountpoint: string; path: string }[] {
    return Object.entries(this.record.paths).filter(([key]) => key !== "").map(([key, dir]) => {
      const mountpoint = this.#mountpointOf(key);
      return { mountpoint, path: dir.slice(mountpoint.length) || "/" };
    });
  }

  #mountpointOf(key: string): string {
    if (key === "") return this.#layout?.unified?.mountpoint ?? "";
    const h = this.#layout?.v1.find((h) => h.controllers.join(",") === key);
    return h?.mountpoint ?? "";
  }

  #freezer(): string {
    const dir = this.path("freezer");
    if (!dir) throw new Error("Cannot freeze: the freezer cgroup controller is not mounted");
    return dir;
  }

  #memoryLimit(): number {
    const dir = this.path("memory");
    const text = dir ? this.#fs.read(`${dir}/memory.limit_in_bytes`) : null;
    const n = text === null ? -1 : Number(text.trim());
    // The kernel shows "unlimited" as a huge page-rounded number.
    return !Number.isFinite(n) || n >= 2 ** 62 ? -1 : n;
  }

  #blkioPrefix(): string {
    const dir = this.path("blkio");
    if (!dir || this.#fs.read(`${dir}/blkio.weight`) !== null) return "blkio.";
    return this.#fs.read(`${dir}/blkio.bfq.weight`) !== null ? "blkio.bfq." : "blkio.";
  }
}

/**
 * linux.resources.unified names cgroup v2 files: refused on a v1 host
 * rather than silently dropped, as runc's config validator does.
 */
export function checkNoUnified(r: Resources): void {
  if (r.unified && Object.keys(r.unified).length > 0) {
    throw new ConfigError(
      "/linux/resources/unified",
      "cgroup v2 settings need a cgroup v2 host; this host's controllers are cgroup v1",
    );
  }
}
