// What the planners (init/) know about the host: facts the parent probes
// (lib/container/host_facts.ts, lib/cgroups/layout.ts) and hands to
// standardInitPlan / setnsInitPlan. Types only; they live here, below both
// sides, so that neither the cgroup code nor the planners import the other.
//
// Permissions: none.

/** One cgroup v1 hierarchy the container's cgroup lives in. */
export interface CgroupV1Mount {
  /** Host mount point of the hierarchy, e.g. "/sys/fs/cgroup/cpu,cpuacct". */
  readonly mountpoint: string;
  /** The container's cgroup relative to the hierarchy's root, e.g. "/runo/c1". */
  readonly path: string;
}

/** The host's cgroup layout, as the cgroup manager sees it. */
export type CgroupFacts =
  | { readonly mode: "unified" }
  | { readonly mode: "legacy" | "hybrid"; readonly v1: readonly CgroupV1Mount[] };

/** Which Linux security modules the host has enabled (init/lsm.ts). */
export interface LsmFacts {
  /** /sys/module/apparmor/parameters/enabled reads "Y". */
  readonly apparmor: boolean;
  /** The host has /proc/self/attr/apparmor/ (Linux ≥ 5.8, stacking-aware). */
  readonly apparmorAttrDir?: boolean;
  /** selinuxfs is mounted (/sys/fs/selinux). */
  readonly selinux: boolean;
}

/** What the planner needs to know about the host (probed by the caller). */
export interface HostFacts {
  /** /proc/kcore exists (CONFIG_PROC_KCORE): then /dev/core links to it. */
  readonly kcoreExists: boolean;
  readonly cgroup: CgroupFacts;
  /** runo itself runs inside a user namespace (mknod is refused there too). */
  readonly inUserNs?: boolean;
  /**
   * The host mount point the rootfs lives on (from mountinfo). runc makes it
   * private (or slave) so that pivot_root works and the rootfs bind does
   * not propagate to the host; skipped when unknown.
   */
  readonly rootfsMountPoint?: string;
  /**
   * The host's /proc/sys/kernel/cap_last_cap, read by runo in the host's
   * namespaces: capabilities above it are dropped with a warning, and the
   * init's CAP_BOUNDING drops up to it (it never reads the container's).
   */
  readonly capLastCap: number;
  /** Which LSMs are enabled; none when absent. */
  readonly lsm?: LsmFacts;
  /**
   * The host's full procfs and sysfs mounts outside the rootfs (mountinfo
   * root "/"), which --no-pivot hides before it moves the root.
   */
  readonly pseudoMounts?: readonly string[];
  /** The online NUMA nodes (linux.memoryPolicy's nodes must be among them); unknown when absent. */
  readonly numaNodes?: readonly number[];
}
