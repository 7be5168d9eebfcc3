// The cgroup v1 manager: one directory per mounted hierarchy (and, on a
// hybrid host, one in the unified tree too, as runc 1.1 joins it). Plans
// come from the per-controller modules beside this file. On a hybrid host
// a controller bound to the cgroup2 tree instead of a v1 hierarchy (this
// machine's hugetlb) is set there, in its v2 files; runc would refuse it.
//
// Permissions: as the CgroupFs it is given (kernel: --allow-ffi).

import type { Resources } from "../../spec/types.ts";
import { ConfigError } from "../../spec/config_error.ts";
import type { CgroupManager, CgroupRecord, OomNotifier } from "../manager.ts";
import type { CgroupLayout } from "../layout.ts";
import { allPids, type CgroupFs, readRequired } from "../fs.ts";
import type { DeviceCgroupRule } from "../devices.ts";
import { devicesV1Transition } from "./devices.ts";
import type { CgroupWrite, ControllerPlan } from "../write.ts";
import type { Stats } from "../stats.ts";
import { type MemoryFacts, memoryPlan, NO_MEMORY } from "./memory.ts";
import { cpuPlan, cpusetPlan } from "./cpu.ts";
import { pidsPlan } from "./pids.ts";
import { blkioPlan } from "./blkio.ts";
import { hugetlbPlan, hugetlbV2Plan, netClsPlan, netPrioPlan, rdmaPlan } from "./misc.ts";
import { v1Stats } from "./stats.ts";
import { isFrozenIn } from "../frozen.ts";
import { HUGEPAGES_DIR, hugetlbStatsV1, hugetlbStatsV2, pageSizes } from "../hugetlb.ts";
import {
  cgroup2MountAbove,
  createLeaf,
  destroyDirs,
  joinProcs,
  waitFrozen,
  writeInOrder,
} from "../shell.ts";

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

/** The cgroup v2 files of the controllers a hybrid host may bind to its cgroup2 tree. */
const V2_FILES: Record<string, (r: Resources) => CgroupWrite[]> = {
  hugetlb: (r) => hugetlbV2Plan(r.hugepageLimits).writes,
  rdma: (r) => rdmaPlan(r.rdma).writes, // rdma.max: the same file in v1 and v2
};

export class V1Manager implements CgroupManager {
  readonly record: CgroupRecord;
  readonly #fs: CgroupFs;
  readonly #layout?: CgroupLayout;
  #root?: string;

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
    for (const [key, dir] of dirs) {
      const mountpoint = this.#mountpointOf(key);
      createLeaf(this.#fs, mountpoint, dir, key.split(",").includes("cpuset"));
    }
    joinProcs(this.#fs, dirs.map(([, d]) => d), pid);
  }

  set(r: Resources, devices?: readonly DeviceCgroupRule[]): string[] {
    const warnings: string[] = [];
    const plans: [string, ControllerPlan][] = [
      // The facts are cgroup file reads: only when there is something to plan.
      ["memory", memoryPlan(r.memory, r.memory ? this.#memoryFacts() : NO_MEMORY)],
      ["cpu", cpuPlan(r.cpu)],
      ["cpuset", cpusetPlan(r.cpu)],
      ["pids", pidsPlan(r.pids)],
      ["blkio", blkioPlan(r.blockIO, { weightPrefix: r.blockIO ? this.#blkioPrefix() : "" })],
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
    const inUnified = new Map<string, CgroupWrite[]>();
    for (const [controller, plan] of plans) {
      if (plan.writes.length === 0 || this.path(controller) || controller === "devices") continue;
      const v2 = V2_FILES[controller];
      if (v2 && this.#unifiedHas(controller)) {
        inUnified.set(controller, v2(r));
        continue;
      }
      throw new ConfigError(
        POINTER[controller],
        `cgroup v1 controller "${controller}" is not mounted on this host`,
      );
    }
    for (const [controller, writes] of inUnified) this.#writeUnified(controller, writes);
    for (const [controller, plan] of plans) {
      warnings.push(...plan.warnings);
      const dir = this.path(controller);
      if (plan.writes.length === 0 || inUnified.has(controller)) continue;
      if (!dir) {
        warnings.push(
          `cgroup controller "${controller}" is not mounted: device rules not enforced`,
        );
        continue;
      }
      writeInOrder(this.#fs, dir, plan.writes);
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
    return isFrozenIn((p) => this.#fs.read(p), this.record);
  }

  pids(): number[] {
    const dir = this.path("pids") ?? this.path("freezer") ?? Object.values(this.record.paths)[0];
    return allPids(this.#fs, dir);
  }

  stats(): Stats {
    const s = v1Stats(this.#fs, (c) => this.path(c));
    const sizes = pageSizes(this.#fs.subdirs(HUGEPAGES_DIR));
    const v1 = this.path("hugetlb");
    const unified = this.record.paths[""];
    if (v1) s.hugetlb = hugetlbStatsV1((f) => this.#fs.read(`${v1}/${f}`), sizes);
    else if (unified && this.#unifiedHas("hugetlb")) {
      s.hugetlb = hugetlbStatsV2((f) => this.#fs.read(`${unified}/${f}`), sizes);
    }
    return s;
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

  /**
   * The cgroup2 mount above this container's unified directory, if it has
   * one: the layout's at create; loaded from a record (update, events),
   * found by walking up once and kept.
   */
  #unifiedRoot(): string | undefined {
    const leaf = this.record.paths[""];
    if (!leaf) return undefined;
    this.#root ??= this.#layout?.unified?.mountpoint ?? cgroup2MountAbove(this.#fs, leaf) ?? "";
    return this.#root || undefined;
  }

  /** Whether a hybrid host's cgroup2 tree holds `controller` (bound there, not to v1). */
  #unifiedHas(controller: string): boolean {
    const root = this.#unifiedRoot();
    const available = root ? this.#fs.read(`${root}/cgroup.controllers`) : null;
    return (available ?? "").trim().split(/\s+/).includes(controller);
  }

  /**
   * Enables `controller` in every cgroup.subtree_control from the cgroup2
   * mount down to the leaf's parent (those are empty, or the root), then
   * writes its v2 files in the leaf.
   */
  #writeUnified(controller: string, writes: readonly CgroupWrite[]): void {
    const root = this.#unifiedRoot()!;
    const leaf = this.record.paths[""];
    let dir = root;
    for (const part of leaf.slice(root.length).split("/").filter((p) => p !== "")) {
      const enabled = (this.#fs.read(`${dir}/cgroup.subtree_control`) ?? "").split(/\s+/);
      if (!enabled.includes(controller)) {
        this.#fs.write(`${dir}/cgroup.subtree_control`, `+${controller}`);
      }
      dir = `${dir}/${part}`;
    }
    for (const { file, value } of writes) this.#fs.write(`${leaf}/${file}`, value);
  }

  #freezer(): string {
    const dir = this.path("freezer");
    if (!dir) throw new Error("Cannot freeze: the freezer cgroup controller is not mounted");
    return dir;
  }

  #memoryFacts(): MemoryFacts {
    const dir = this.path("memory");
    const text = dir ? this.#fs.read(`${dir}/memory.limit_in_bytes`) : null;
    const n = text === null ? -1 : Number(text.trim());
    // The kernel shows "unlimited" as a huge page-rounded number.
    const limit = !Number.isFinite(n) || n >= 2 ** 62 ? -1 : n;
    const kmemTcp = dir !== undefined &&
      this.#fs.read(`${dir}/memory.kmem.tcp.limit_in_bytes`) !== null;
    return { limit, kmemTcp };
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
