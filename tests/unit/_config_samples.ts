// Sample values for tests/unit/config_fields_test.ts: for each leaf of the
// runtime spec's config schema, two values (the second absent when not
// given) whose difference runo must act on. TEMPLATES are the array items
// and map entries a "*" stands for; CONTEXT adds what a field needs around
// it (a namespace, a parent object). PLATFORM lists the fields the spec
// defines for other operating systems, VALIDATED the ones whose only
// effect is that some values are refused.
//
// Permissions: none.

type Json = Record<string, unknown>;

const hook = { path: "/bin/true" };
const idmap = { containerID: 0, hostID: 1000, size: 10 };
const throttle = { major: 8, minor: 0, rate: 100 };

export const TEMPLATES: Record<string, { key?: string; item: unknown }> = {
  ...Object.fromEntries(
    ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]
      .map((p) => [`/hooks/${p}/*`, { item: hook }]),
  ),
  "/mounts/*": {
    item: {
      destination: "/m",
      type: "bind",
      source: "/src",
      options: ["rbind"],
      // Ignored unless a test sets mappings: the idmapped fields need both.
    },
  },
  "/mounts/*/uidMappings/*": { item: idmap },
  "/mounts/*/gidMappings/*": { item: idmap },
  "/process/rlimits/*": { item: { type: "RLIMIT_NPROC", soft: 10, hard: 10 } },
  "/process/consoleSize": { item: { height: 24, width: 80 } },
  "/process/ioPriority": { item: { class: "IOPRIO_CLASS_BE", priority: 4 } },
  "/process/scheduler": { item: { policy: "SCHED_BATCH" } },
  "/linux/devices/*": { item: { type: "c", path: "/dev/x", major: 1, minor: 3 } },
  "/linux/netDevices/*": { key: "eth9", item: {} },
  "/linux/uidMappings/*": { item: idmap },
  "/linux/gidMappings/*": { item: idmap },
  "/linux/namespaces/*": { item: { type: "time" } },
  "/linux/resources/devices/*": { item: { allow: false, access: "rwm" } },
  "/linux/resources/pids": { item: { limit: 10 } },
  "/linux/resources/blockIO/throttleReadBpsDevice/*": { item: throttle },
  "/linux/resources/blockIO/throttleWriteBpsDevice/*": { item: throttle },
  "/linux/resources/blockIO/throttleReadIOPSDevice/*": { item: throttle },
  "/linux/resources/blockIO/throttleWriteIOPSDevice/*": { item: throttle },
  "/linux/resources/blockIO/weightDevice/*": { item: { major: 8, minor: 0, weight: 10 } },
  "/linux/resources/hugepageLimits/*": { item: { pageSize: "2MB", limit: 1 << 21 } },
  "/linux/resources/network/priorities/*": { item: { name: "eth0", priority: 1 } },
  "/linux/resources/rdma/*": { key: "mlx5_1", item: { hcaHandles: 1 } },
  "/linux/seccomp": { item: { defaultAction: "SCMP_ACT_ALLOW" } },
  "/linux/seccomp/syscalls/*": { item: { names: ["getcwd"], action: "SCMP_ACT_ERRNO" } },
  "/linux/seccomp/syscalls/*/args/*": { item: { index: 0, value: 1, op: "SCMP_CMP_EQ" } },
  "/linux/memoryPolicy": { item: { mode: "MPOL_BIND", nodes: "0" } },
  "/linux/personality": { item: { domain: "LINUX" } },
};

/** Needs around a field: a namespace, maps for a user namespace, a listener path. */
const withNs = (type: string) => (c: Json) => {
  const linux = c.linux as { namespaces: { type: string }[] };
  linux.namespaces.push({ type });
  return c;
};
const withUserns = (c: Json) => {
  const linux = withNs("user")(c).linux as Json;
  linux.uidMappings = [{ ...idmap, size: 65536 }];
  linux.gidMappings = [{ ...idmap, size: 65536 }];
  // Mapped whether the first id inside is 0 or 3.
  (c.process as Json).user = { uid: 5, gid: 5 };
  return c;
};
const withTerminal = (c: Json) => {
  (c.process as Json).terminal = true;
  return c;
};
const inheritable = (c: Json) => {
  const caps = (c.process as Json).capabilities as Json;
  for (const set of ["inheritable", "permitted", "bounding", "effective"]) {
    caps[set] = [...((caps[set] as string[]) ?? []), "CAP_CHOWN"];
  }
  return c;
};
const idmapped = (c: Json) => {
  const mount = {
    ...(TEMPLATES["/mounts/*"].item as Json),
    uidMappings: [idmap],
    gidMappings: [idmap],
  };
  (c.mounts as Json[]).unshift(mount);
  return c;
};

export const CONTEXT: Record<string, (c: Json) => Json> = {
  "/mounts/*/type": (c) => {
    (c.mounts as Json[]).unshift({ destination: "/m", source: "tmpfs" });
    return c;
  },
  "/process/consoleSize/height": withTerminal,
  "/process/consoleSize/width": withTerminal,
  "/process/capabilities/ambient": inheritable,
  "/linux/uidMappings/*/containerID": withUserns,
  "/linux/uidMappings/*/hostID": withUserns,
  "/linux/uidMappings/*/size": withUserns,
  "/linux/gidMappings/*/containerID": withUserns,
  "/linux/gidMappings/*/hostID": withUserns,
  "/linux/gidMappings/*/size": withUserns,
  "/linux/timeOffsets/boottime/secs": withNs("time"),
  "/linux/timeOffsets/boottime/nanosecs": withNs("time"),
  "/linux/timeOffsets/monotonic/secs": withNs("time"),
  "/linux/timeOffsets/monotonic/nanosecs": withNs("time"),
  "/mounts/*/uidMappings/*/containerID": idmapped,
  "/mounts/*/uidMappings/*/hostID": idmapped,
  "/mounts/*/uidMappings/*/size": idmapped,
  "/mounts/*/gidMappings/*/containerID": idmapped,
  "/mounts/*/gidMappings/*/hostID": idmapped,
  "/mounts/*/gidMappings/*/size": idmapped,
  "/linux/seccomp/listenerMetadata": (c) => {
    (c.linux as Json).seccomp = {
      defaultAction: "SCMP_ACT_ALLOW",
      listenerPath: "/run/agent.sock",
    };
    return c;
  },
};

const hookFields = (phase: string) => ({
  [`/hooks/${phase}/*/path`]: ["/bin/true", "/bin/false"],
  [`/hooks/${phase}/*/args`]: [["true", "-x"], undefined],
  [`/hooks/${phase}/*/env`]: [["A=1"], undefined],
  [`/hooks/${phase}/*/timeout`]: [5, undefined],
});

const throttleFields = (list: string) => ({
  [`/linux/resources/blockIO/${list}/*/major`]: [8, 9],
  [`/linux/resources/blockIO/${list}/*/minor`]: [0, 1],
  [`/linux/resources/blockIO/${list}/*/rate`]: [100, 200],
});

const mapFields = (list: string) => ({
  [`/mounts/*/${list}/*/containerID`]: [0, 1],
  [`/mounts/*/${list}/*/hostID`]: [1000, 2000],
  [`/mounts/*/${list}/*/size`]: [10, 20],
});

const idFields = (list: string) => ({
  [`/linux/${list}/*/containerID`]: [0, 3],
  [`/linux/${list}/*/hostID`]: [1000, 2000],
  [`/linux/${list}/*/size`]: [65536, 70000],
});

const caps = (set: string) => ({ [`/process/capabilities/${set}`]: [["CAP_CHOWN"], []] });

/** Leaf pattern → [value, other value (undefined: the field absent)]. */
export const VALUES: Record<string, readonly [unknown, unknown?]> = {
  "/ociVersion": ["1.0.0", "2.0.0"],
  ...hookFields("prestart"),
  ...hookFields("createRuntime"),
  ...hookFields("createContainer"),
  ...hookFields("startContainer"),
  ...hookFields("poststart"),
  ...hookFields("poststop"),
  "/annotations": [{ a: "b" }, undefined],
  "/hostname": ["h1", "h2"],
  "/domainname": ["d1", undefined],
  "/mounts/*/source": ["/src", "/other"],
  "/mounts/*/destination": ["/m", "/n"],
  "/mounts/*/options": [["rbind", "ro"], ["rbind"]],
  "/mounts/*/type": ["bind", "tmpfs"],
  ...mapFields("uidMappings"),
  ...mapFields("gidMappings"),
  "/root/path": ["rootfs", "other"],
  "/root/readonly": [true, false],
  "/process/args": [["sh"], ["true"]],
  "/process/consoleSize/height": [24, 30],
  "/process/consoleSize/width": [80, 100],
  "/process/cwd": ["/", "/tmp"],
  "/process/env": [["A=1"], ["B=2"]],
  "/process/terminal": [true, false],
  "/process/user/uid": [0, 1000],
  "/process/user/gid": [0, 1000],
  "/process/user/umask": [0o077, undefined],
  "/process/user/additionalGids": [[5], undefined],
  ...caps("bounding"),
  ...caps("permitted"),
  ...caps("effective"),
  ...caps("inheritable"),
  ...caps("ambient"),
  "/process/apparmorProfile": ["runo-test", undefined],
  "/process/oomScoreAdj": [100, undefined],
  "/process/selinuxLabel": ["system_u:system_r:container_t:s0", undefined],
  "/process/ioPriority/class": ["IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"],
  "/process/ioPriority/priority": [4, 2],
  "/process/noNewPrivileges": [true, false],
  "/process/scheduler/policy": ["SCHED_BATCH", "SCHED_IDLE"],
  "/process/scheduler/nice": [5, undefined],
  "/process/scheduler/priority": [10, undefined],
  "/process/scheduler/flags": [["SCHED_FLAG_RESET_ON_FORK"], undefined],
  "/process/scheduler/runtime": [1000000, undefined],
  "/process/scheduler/deadline": [2000000, undefined],
  "/process/scheduler/period": [3000000, undefined],
  "/process/rlimits/*/hard": [10, 20],
  "/process/rlimits/*/soft": [10, 5],
  "/process/rlimits/*/type": ["RLIMIT_NPROC", "RLIMIT_CORE"],
  "/process/execCPUAffinity/initial": ["0", undefined],
  "/process/execCPUAffinity/final": ["0", undefined],
  "/linux/devices/*/type": ["c", "b"],
  "/linux/devices/*/path": ["/dev/x", "/dev/y"],
  "/linux/devices/*/fileMode": [0o600, undefined],
  "/linux/devices/*/major": [1, 2],
  "/linux/devices/*/minor": [3, 4],
  "/linux/devices/*/uid": [5, undefined],
  "/linux/devices/*/gid": [5, undefined],
  "/linux/netDevices/*/name": ["ctr0", undefined],
  ...idFields("uidMappings"),
  ...idFields("gidMappings"),
  "/linux/namespaces/*/type": ["time", "cgroup"],
  "/linux/namespaces/*/path": ["/proc/1/ns/time", undefined],
  "/linux/resources/unified": [{ "memory.high": "100000" }, undefined],
  "/linux/resources/devices/*/allow": [true, false],
  "/linux/resources/devices/*/type": ["c", "b"],
  "/linux/resources/devices/*/major": [1, 2],
  "/linux/resources/devices/*/minor": [3, 4],
  "/linux/resources/devices/*/access": ["r", "rwm"],
  "/linux/resources/pids/limit": [10, 20],
  "/linux/resources/blockIO/weight": [10, 20],
  "/linux/resources/blockIO/leafWeight": [10, 20],
  ...throttleFields("throttleReadBpsDevice"),
  ...throttleFields("throttleWriteBpsDevice"),
  ...throttleFields("throttleReadIOPSDevice"),
  ...throttleFields("throttleWriteIOPSDevice"),
  "/linux/resources/blockIO/weightDevice/*/major": [8, 9],
  "/linux/resources/blockIO/weightDevice/*/minor": [0, 1],
  "/linux/resources/blockIO/weightDevice/*/weight": [10, 20],
  "/linux/resources/blockIO/weightDevice/*/leafWeight": [10, 20],
  "/linux/resources/cpu/cpus": ["0", "0-1"],
  "/linux/resources/cpu/mems": ["0", undefined],
  "/linux/resources/cpu/period": [100000, 50000],
  "/linux/resources/cpu/quota": [20000, 30000],
  "/linux/resources/cpu/burst": [1000, undefined],
  "/linux/resources/cpu/realtimePeriod": [1000000, undefined],
  "/linux/resources/cpu/realtimeRuntime": [950000, undefined],
  "/linux/resources/cpu/shares": [512, 1024],
  "/linux/resources/cpu/idle": [1, undefined],
  "/linux/resources/hugepageLimits/*/pageSize": ["2MB", "1GB"],
  "/linux/resources/hugepageLimits/*/limit": [1 << 21, 1 << 22],
  "/linux/resources/memory/kernel": [1 << 24, undefined],
  "/linux/resources/memory/kernelTCP": [1 << 24, undefined],
  "/linux/resources/memory/limit": [1 << 26, 1 << 27],
  "/linux/resources/memory/reservation": [1 << 25, undefined],
  "/linux/resources/memory/swap": [1 << 28, undefined],
  "/linux/resources/memory/swappiness": [10, undefined],
  "/linux/resources/memory/disableOOMKiller": [true, undefined],
  "/linux/resources/memory/useHierarchy": [true, undefined],
  "/linux/resources/memory/checkBeforeUpdate": [true, undefined],
  "/linux/resources/network/classID": [0x100001, undefined],
  "/linux/resources/network/priorities/*/name": ["eth0", "eth1"],
  "/linux/resources/network/priorities/*/priority": [1, 2],
  "/linux/resources/rdma/*/hcaHandles": [1, 2],
  "/linux/resources/rdma/*/hcaObjects": [1, 2],
  "/linux/cgroupsPath": ["/a", "/b"],
  "/linux/rootfsPropagation": ["slave", "private"],
  "/linux/seccomp/defaultAction": ["SCMP_ACT_ALLOW", "SCMP_ACT_LOG"],
  "/linux/seccomp/defaultErrnoRet": [1, undefined],
  "/linux/seccomp/flags": [["SECCOMP_FILTER_FLAG_LOG"], undefined],
  "/linux/seccomp/listenerPath": ["/run/agent.sock", undefined],
  "/linux/seccomp/listenerMetadata": ["meta", undefined],
  "/linux/seccomp/architectures": [["SCMP_ARCH_X86"], undefined],
  "/linux/seccomp/syscalls/*/names": [["getcwd"], ["getpid"]],
  "/linux/seccomp/syscalls/*/action": ["SCMP_ACT_ERRNO", "SCMP_ACT_KILL"],
  "/linux/seccomp/syscalls/*/errnoRet": [5, undefined],
  "/linux/seccomp/syscalls/*/args/*/index": [0, 1],
  "/linux/seccomp/syscalls/*/args/*/value": [1, 2],
  "/linux/seccomp/syscalls/*/args/*/valueTwo": [1, undefined],
  "/linux/seccomp/syscalls/*/args/*/op": ["SCMP_CMP_EQ", "SCMP_CMP_NE"],
  "/linux/sysctl": [{ "net.ipv4.ip_forward": "1" }, undefined],
  "/linux/maskedPaths": [["/proc/x"], []],
  "/linux/readonlyPaths": [["/proc/x"], []],
  "/linux/mountLabel": ["system_u:object_r:container_file_t:s0", undefined],
  "/linux/intelRdt/closID": ["gold", undefined],
  "/linux/intelRdt/schemata": [["L2:0=3"], undefined],
  "/linux/intelRdt/l3CacheSchema": ["L3:0=f", undefined],
  "/linux/intelRdt/memBwSchema": ["MB:0=20", undefined],
  "/linux/intelRdt/enableMonitoring": [true, undefined],
  "/linux/memoryPolicy/mode": ["MPOL_BIND", "MPOL_INTERLEAVE"],
  "/linux/memoryPolicy/nodes": ["0", "0-1"],
  "/linux/memoryPolicy/flags": [["MPOL_F_STATIC_NODES"], undefined],
  "/linux/personality/domain": ["LINUX", "LINUX32"],
  "/linux/personality/flags": [["ADDR_NO_RANDOMIZE"], undefined],
  "/linux/timeOffsets/boottime/secs": [5, undefined],
  "/linux/timeOffsets/boottime/nanosecs": [5, undefined],
  "/linux/timeOffsets/monotonic/secs": [5, undefined],
  "/linux/timeOffsets/monotonic/nanosecs": [5, undefined],
};

/** Fields the spec defines for another operating system: not Linux's, ignored as runc does. */
export const PLATFORM: Record<string, string> = {
  "/solaris": "Solaris section",
  "/windows": "Windows section",
  "/vm": "virtual-machine runtimes' section",
  "/zos": "z/OS section",
  "/freebsd": "FreeBSD section",
  "/process/commandLine": "the spec: Windows only",
  "/process/user/username": "the spec: Windows only",
};

/** Fields whose effect is the refusal of some values only. */
export const VALIDATED: Record<string, string> = {
  "/ociVersion": "runo reads 1.x configs and refuses others; it records its own version",
};
