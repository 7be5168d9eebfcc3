// The cgroup limits of the OCI runtime config (config `linux.resources`),
// field names verbatim from the runtime spec; lib/spec/types.ts exports
// them with the rest of the config.
//
// Permissions: none.

/** A device cgroup rule (config `linux.resources.devices[]`). */
export interface DeviceRule {
  /** Allow (true) or deny (false). */
  readonly allow: boolean;
  /** a (all), c or b. */
  readonly type?: string;
  /** The major number; all when absent. */
  readonly major?: number;
  /** The minor number; all when absent. */
  readonly minor?: number;
  /** Any of r (read), w (write), m (mknod). */
  readonly access?: string;
}

/** cgroup limits (config `linux.resources`, and `runo update`). */
export interface Resources {
  /** Device access rules, applied in order. */
  readonly devices?: readonly DeviceRule[];
  /** Memory limits, in bytes. */
  readonly memory?: {
    readonly limit?: number;
    readonly reservation?: number;
    readonly swap?: number;
    readonly kernel?: number;
    readonly kernelTCP?: number;
    readonly swappiness?: number;
    readonly disableOOMKiller?: boolean;
    readonly useHierarchy?: boolean;
    readonly checkBeforeUpdate?: boolean;
  };
  /** CPU shares, CFS quota and period, cpusets. */
  readonly cpu?: {
    readonly shares?: number;
    readonly quota?: number;
    readonly burst?: number;
    readonly period?: number;
    readonly realtimeRuntime?: number;
    readonly realtimePeriod?: number;
    readonly cpus?: string;
    readonly mems?: string;
    readonly idle?: number;
  };
  /** The maximum number of tasks. */
  readonly pids?: { readonly limit: number };
  /** Block I/O weights and throttles. */
  readonly blockIO?: {
    readonly weight?: number;
    readonly leafWeight?: number;
    readonly weightDevice?: readonly {
      readonly major: number;
      readonly minor: number;
      readonly weight?: number;
      readonly leafWeight?: number;
    }[];
    readonly throttleReadBpsDevice?: readonly ThrottleDevice[];
    readonly throttleWriteBpsDevice?: readonly ThrottleDevice[];
    readonly throttleReadIOPSDevice?: readonly ThrottleDevice[];
    readonly throttleWriteIOPSDevice?: readonly ThrottleDevice[];
  };
  /** Huge-page limits per page size. */
  readonly hugepageLimits?: readonly { readonly pageSize: string; readonly limit: number }[];
  /** net_cls class id and net_prio priorities. */
  readonly network?: {
    readonly classID?: number;
    readonly priorities?: readonly { readonly name: string; readonly priority: number }[];
  };
  /** RDMA limits per device. */
  readonly rdma?: Readonly<
    Record<string, { readonly hcaHandles?: number; readonly hcaObjects?: number }>
  >;
  /** cgroup v2 files and the values to write into them. */
  readonly unified?: Readonly<Record<string, string>>;
}

/** A block I/O throttle of one device. */
export interface ThrottleDevice {
  /** The device's major number. */
  readonly major: number;
  /** The device's minor number. */
  readonly minor: number;
  /** Bytes or operations per second. */
  readonly rate: number;
}
