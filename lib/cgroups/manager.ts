// The one cgroup manager interface: v1 (one directory per hierarchy) and
// v2 (one unified directory) implement it, chosen once from the host's
// layout by createCgroupManager; callers never ask which version it is.
//
// Permissions: none to import; the kernel-backed managers need --allow-ffi.

import type { Resources } from "../spec/types.ts";
import type { CgroupLayout } from "./layout.ts";
import type { DeviceCgroupRule } from "./devices.ts";
import type { CgroupFs } from "./fs.ts";
import type { Stats } from "./stats.ts";
import { resolveCgroupPath } from "./path.ts";
import { layoutRecord } from "./layout.ts";
import { V1Manager } from "./v1/manager.ts";
import { type DeviceFilterAttacher, V2Manager } from "./v2/manager.ts";
import { SystemdManager } from "./systemd/manager.ts";

/** What state.json records: enough to find the cgroups again. */
export interface CgroupRecord {
  readonly version: 1 | 2;
  /** Controller (v1 hierarchy key, "" for the unified tree) → absolute directory. */
  readonly paths: Readonly<Record<string, string>>;
  /** Set by the systemd driver (--systemd-cgroup): the unit and the socket of its manager. */
  readonly systemd?: SystemdRecord;
  /**
   * The cgroup held other processes before the container joined (runc 1.1
   * warns and uses it): they are not ours, so delete neither kills through
   * it nor removes it.
   */
  readonly shared?: true;
}

export interface SystemdRecord {
  readonly unit: string;
  readonly socket: string;
  /** The socket is a bus (Hello, AddMatch), not systemd's private one. */
  readonly bus: boolean;
}

export interface CgroupManager {
  readonly record: CgroupRecord;
  /**
   * Creates the cgroups and moves `pid` in (a cgroup with other processes
   * too: ContainerCgroups warns first). The systemd driver's is
   * asynchronous (D-Bus) and refuses a unit holding other processes.
   */
  apply(pid: number): void | Promise<void>;
  /** Writes the limits; returns warnings about ignored fields. */
  set(resources: Resources, devices?: readonly DeviceCgroupRule[]): string[];
  /**
   * The systemd driver's update: the unit's own properties first (runc's
   * setUnitProperties), so that systemd does not put the old limits back.
   */
  updateUnit?(resources: Resources): Promise<void>;
  freeze(): Promise<void>;
  thaw(): void;
  isFrozen(): boolean;
  /** Every pid in the container's cgroups. */
  pids(): number[];
  stats(): Stats;
  /** How many times the OOM killer ran in the cgroup. */
  oomKills(): number;
  /** Where the kernel announces OOM in this cgroup, for `events`; none: only oomKills(). */
  oomNotifier?(): OomNotifier | undefined;
  /** Removes the cgroups this container created, waiting for their processes to go. */
  destroy(): Promise<void>;
  /** The container's own path in each v1 hierarchy, for its cgroup mount. */
  v1Paths(): { mountpoint: string; path: string }[];
}

/**
 * v1: an eventfd registered for memory.oom_control through
 * cgroup.event_control, readable at each OOM; v2: memory.events, whose
 * oom_kill counter rises (inotify IN_MODIFY when it changes).
 */
export type OomNotifier =
  | { readonly kind: "eventfd"; readonly control: string; readonly eventControl: string }
  | { readonly kind: "inotify"; readonly file: string };

export interface ManagerOptions {
  readonly layout: CgroupLayout;
  readonly cgroupsPath: string | undefined;
  readonly id: string;
  readonly fs: CgroupFs;
  /** Loads v2 device filters (ffi/bpf.ts); without it v2 device rules only warn. */
  readonly attachDevices?: DeviceFilterAttacher;
}

/** Picks v1 (legacy and hybrid hosts) or v2 (unified) once, from the layout. */
export function createCgroupManager(opts: ManagerOptions): CgroupManager {
  const { layout } = opts;
  const record = layoutRecord(
    layout,
    (ownPath) => resolveCgroupPath(opts.cgroupsPath, opts.id, ownPath),
  );
  return loadCgroupManager(record, opts.fs, { layout, attachDevices: opts.attachDevices });
}

/** The manager of an existing container, from its state record. */
export function loadCgroupManager(
  record: CgroupRecord,
  fs: CgroupFs,
  extra: { layout?: CgroupLayout; attachDevices?: DeviceFilterAttacher } = {},
): CgroupManager {
  const { systemd, shared: _shared, ...paths } = record;
  const fsManager = paths.version === 2
    ? new V2Manager(paths, fs, extra.attachDevices)
    : new V1Manager(paths, fs, extra.layout);
  return systemd ? new SystemdManager(fsManager, systemd) : fsManager;
}
