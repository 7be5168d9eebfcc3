// The cgroup v2 manager: one directory in the unified tree. Controllers are
// enabled in each ancestor's cgroup.subtree_control; devices are an eBPF
// program attached to the directory (BPF_CGROUP_DEVICE), as runc's fs2.
//
// Permissions: as the CgroupFs given (kernel: --allow-ffi).

import type { Resources } from "../../spec/types.ts";
import type { CgroupManager, CgroupRecord, OomNotifier } from "../manager.ts";
import { allPids, type CgroupFs } from "../fs.ts";
import type { DeviceCgroupRule } from "../devices.ts";
import {
  emptyStats,
  parseFlatKeyed,
  parseIoStat,
  parseNumber,
  parseRangeList,
  type Stats,
} from "../stats.ts";
import { cgroup2MountAbove, destroyDirs, joinProcs, waitFrozen } from "../shell.ts";
import { v2Plan } from "./plan.ts";
import { isFrozenIn } from "../frozen.ts";

/** Loads and attaches a device filter to a cgroup2 directory (ffi/bpf.ts in production). */
export type DeviceFilterAttacher = (dir: string, rules: readonly DeviceCgroupRule[]) => void;

export class V2Manager implements CgroupManager {
  readonly record: CgroupRecord;
  readonly #fs: CgroupFs;
  readonly #attach?: DeviceFilterAttacher;

  constructor(record: CgroupRecord, fs: CgroupFs, attach?: DeviceFilterAttacher) {
    this.record = record;
    this.#fs = fs;
    this.#attach = attach;
  }

  get dir(): string {
    return this.record.paths[""];
  }

  apply(pid: number): void {
    const root = cgroup2MountAbove(this.#fs, this.dir);
    if (!root) throw new Error(`Cannot find the cgroup2 mount above "${this.dir}"`);
    let current = root;
    for (const part of this.dir.slice(root.length).split("/").filter((p) => p !== "")) {
      this.#enableControllers(current);
      current = `${current}/${part}`;
      this.#fs.mkdir(current);
    }
    joinProcs(this.#fs, [this.dir], pid);
  }

  /** Delegates every available controller to the children of `dir`, as runc does. */
  #enableControllers(dir: string): void {
    const available = (this.#fs.read(`${dir}/cgroup.controllers`) ?? "").trim();
    if (!available) return;
    const value = available.split(/\s+/).map((c) => `+${c}`).join(" ");
    this.#fs.write(`${dir}/cgroup.subtree_control`, value);
  }

  set(r: Resources, devices?: readonly DeviceCgroupRule[]): string[] {
    const controllers = (this.#fs.read(`${this.dir}/cgroup.controllers`) ?? "").trim().split(/\s+/);
    const bfq = this.#fs.read(`${this.dir}/io.bfq.weight`) !== null;
    const plan = v2Plan(r, { controllers, bfq });
    for (const { file, value } of plan.writes) this.#fs.write(`${this.dir}/${file}`, value);
    if (devices) {
      if (!this.#attach) return [...plan.warnings, "device rules are not enforced (no BPF loader)"];
      this.#attach(this.dir, devices);
    }
    return plan.warnings;
  }

  async freeze(): Promise<void> {
    this.#fs.write(`${this.dir}/cgroup.freeze`, "1");
    await waitFrozen(() => this.isFrozen(), () => this.thaw(), this.dir);
  }

  thaw(): void {
    this.#fs.write(`${this.dir}/cgroup.freeze`, "0");
  }

  isFrozen(): boolean {
    return isFrozenIn((p) => this.#fs.read(p), this.record);
  }

  pids(): number[] {
    return allPids(this.#fs, this.dir);
  }

  stats(): Stats {
    const read = (f: string) => this.#fs.read(`${this.dir}/${f}`);
    const s = emptyStats();
    const cpu = parseFlatKeyed(read("cpu.stat"));
    // cpu.stat is in µs; runc reports ns.
    s.cpu.usage = {
      total: (cpu.usage_usec ?? 0) * 1000,
      user: (cpu.user_usec ?? 0) * 1000,
      kernel: (cpu.system_usec ?? 0) * 1000,
    };
    s.cpu.throttling = {
      periods: cpu.nr_periods,
      throttledPeriods: cpu.nr_throttled,
      throttledTime: cpu.throttled_usec === undefined ? undefined : cpu.throttled_usec * 1000,
    };
    // v2 has the effective lists only (runc's fs2 cpuset stats).
    s.cpuset = {
      cpus: parseRangeList(read("cpuset.cpus.effective")),
      mems: parseRangeList(read("cpuset.mems.effective")),
    };
    const raw = parseFlatKeyed(read("memory.stat"));
    s.memory.raw = raw;
    s.memory.cache = raw.file;
    s.memory.usage = {
      usage: parseNumber(read("memory.current")),
      limit: parseNumber(read("memory.max")) ?? 0,
      max: parseNumber(read("memory.peak")),
      failcnt: parseFlatKeyed(read("memory.events")).max ?? 0,
    };
    s.memory.swap = {
      usage: parseNumber(read("memory.swap.current")),
      limit: parseNumber(read("memory.swap.max")) ?? 0,
      failcnt: 0,
    };
    s.pids = { current: parseNumber(read("pids.current")), limit: parseNumber(read("pids.max")) };
    s.blkio = parseIoStat(read("io.stat"));
    return s;
  }

  oomKills(): number {
    return parseFlatKeyed(this.#fs.read(`${this.dir}/memory.events`)).oom_kill ?? 0;
  }

  oomNotifier(): OomNotifier {
    return { kind: "inotify", file: `${this.dir}/memory.events` };
  }

  async destroy(): Promise<void> {
    await destroyDirs(this.#fs, [this.dir]);
  }

  v1Paths(): { mountpoint: string; path: string }[] {
    return [];
  }
}
