// config.json `linux.resources` (cgroup limits) → Resources. Shapes and
// ranges only; whether the host's cgroup version supports a field is the
// cgroup manager's business.
//
// Permissions: none.

import { at, ConfigError } from "./config_error.ts";
import {
  arrayOf,
  boolean,
  int64,
  mapOf,
  matching,
  object,
  oneOf,
  opt,
  req,
  string,
  uint16,
  uint32,
  uint64,
} from "./_check.ts";
import type { DeviceRule, Resources, ThrottleDevice } from "./types.ts";

type Memory = NonNullable<Resources["memory"]>;
type Cpu = NonNullable<Resources["cpu"]>;
type BlockIO = NonNullable<Resources["blockIO"]>;
type WeightDevice = NonNullable<BlockIO["weightDevice"]>[number];
type HugepageLimit = NonNullable<Resources["hugepageLimits"]>[number];
type Network = NonNullable<Resources["network"]>;
type Rdma = NonNullable<Resources["rdma"]>[string];

// Device cgroup rules: type a (all), c or b; access a subset of "rwm".
const DEVICE_RULE = object<DeviceRule>({
  allow: req(boolean),
  type: opt(oneOf(["a", "c", "b"], "device cgroup type")),
  major: opt(int64),
  minor: opt(int64),
  access: opt(matching(/^[rwm]*$/, "device access", 'must be made of "r", "w" and "m"')),
});

const MEMORY = object<Memory>({
  limit: opt(int64),
  reservation: opt(int64),
  swap: opt(int64),
  kernel: opt(int64),
  kernelTCP: opt(int64),
  swappiness: opt(uint64),
  disableOOMKiller: opt(boolean),
  useHierarchy: opt(boolean),
  checkBeforeUpdate: opt(boolean),
});

const CPU = object<Cpu>({
  shares: opt(uint64),
  quota: opt(int64),
  burst: opt(uint64),
  period: opt(uint64),
  realtimeRuntime: opt(int64),
  realtimePeriod: opt(uint64),
  cpus: opt(string),
  mems: opt(string),
  idle: opt(int64),
});

const THROTTLE_DEVICE = object<ThrottleDevice>({
  major: req(int64),
  minor: req(int64),
  rate: req(uint64),
});
const throttleDevices = opt(arrayOf(THROTTLE_DEVICE));

const WEIGHT_DEVICE = object<WeightDevice>({
  major: req(int64),
  minor: req(int64),
  weight: opt(uint16),
  leafWeight: opt(uint16),
});

const BLOCK_IO = object<BlockIO>({
  weight: opt(uint16),
  leafWeight: opt(uint16),
  weightDevice: opt(arrayOf(WEIGHT_DEVICE)),
  throttleReadBpsDevice: throttleDevices,
  throttleWriteBpsDevice: throttleDevices,
  throttleReadIOPSDevice: throttleDevices,
  throttleWriteIOPSDevice: throttleDevices,
});

// The schema's pattern: hugetlb cgroup files are named like "hugetlb.2MB".
const HUGEPAGE_LIMIT = object<HugepageLimit>({
  pageSize: req(matching(/^[1-9][0-9]*[KMG]B$/, "page size", 'must look like "2MB" or "64KB"')),
  limit: req(uint64),
});

const NETWORK = object<Network>({
  classID: opt(uint32),
  priorities: opt(arrayOf(object({ name: req(string), priority: req(uint32) }))),
});

const RDMA = object<Rdma>({ hcaHandles: opt(uint32), hcaObjects: opt(uint32) });

// A unified key is a cgroup v2 file name such as "memory.high"; a path
// would let the config write outside the container's cgroup.
const unifiedKeysAreFileNames = (map: Readonly<Record<string, string>>, p: string) => {
  for (const key of Object.keys(map)) {
    if (key === "" || key.includes("/") || key === "." || key === "..") {
      throw new ConfigError(at(p, key), `invalid cgroup file name ${JSON.stringify(key)}`);
    }
  }
};

export const RESOURCES = object<Resources>({
  devices: opt(arrayOf(DEVICE_RULE)),
  memory: opt(MEMORY),
  cpu: opt(CPU),
  pids: opt(object({ limit: req(int64) })),
  blockIO: opt(BLOCK_IO),
  hugepageLimits: opt(arrayOf(HUGEPAGE_LIMIT)),
  network: opt(NETWORK),
  rdma: opt(mapOf(RDMA)),
  unified: opt(mapOf(string, unifiedKeysAreFileNames)),
});
