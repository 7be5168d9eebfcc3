// The few host facts the planners need: all of them once per create; for
// exec only what the setns init uses (no mountinfo, cgroup or procfs reads).
//
// Permissions: --allow-ffi (/proc reads).

import type { HostFacts, LsmFacts } from "../bootstrap/host_facts.ts";
import { readKernelFile, readKernelFileIfExists } from "../../ffi/kernfs.ts";
import { fullPseudoMounts, type MountInfo, mountPointOf } from "../mounts/mountinfo.ts";
import { hostMounts } from "../mounts/host_mounts.ts";
import { cgroupFacts } from "../cgroups/layout.ts";
import { parseIdList } from "../spec/cpu_list.ts";

/** `mounts`: this process's mount table, when the caller has read it already. */
export function hostFacts(
  rootfs: string,
  mounts: readonly MountInfo[] = hostMounts(),
): HostFacts {
  const uidMap = readKernelFileIfExists("/proc/self/uid_map") ?? "";
  return {
    kcoreExists: readKernelFileIfExists("/proc/kcore", 1) !== null,
    cgroup: cgroupFacts(mounts, readKernelFile("/proc/self/cgroup")),
    // The initial user namespace maps the whole 32-bit range.
    inUserNs: !/^\s*0\s+0\s+4294967295\s*$/.test(uidMap),
    rootfsMountPoint: mountPointOf(mounts, rootfs),
    pseudoMounts: fullPseudoMounts(mounts, rootfs),
    capLastCap: Number(readKernelFile("/proc/sys/kernel/cap_last_cap").trim()),
    lsm: lsmFacts(),
    numaNodes: numaNodes(),
  };
}

/** What exec's setns init needs of the host: capabilities, LSMs, NUMA nodes. */
export function execHostFacts(): Pick<HostFacts, "capLastCap" | "lsm" | "numaNodes"> {
  return {
    capLastCap: Number(readKernelFile("/proc/sys/kernel/cap_last_cap").trim()),
    lsm: lsmFacts(),
    numaNodes: numaNodes(),
  };
}

/** The online NUMA nodes; undefined when the kernel does not say (no NUMA support). */
function numaNodes(): number[] | undefined {
  const online = readKernelFileIfExists("/sys/devices/system/node/online");
  if (online === null) return undefined;
  const ids = parseIdList(online.trim());
  return typeof ids === "string" ? undefined : ids;
}

/** Which LSMs can take labels, probed as runc's apparmor and selinux packages do. */
function lsmFacts(): LsmFacts {
  const apparmor =
    readKernelFileIfExists("/sys/module/apparmor/parameters/enabled")?.trim() === "Y";
  return {
    apparmor,
    apparmorAttrDir: apparmor &&
      readKernelFileIfExists("/proc/self/attr/apparmor/current") !== null,
    selinux: readKernelFileIfExists("/sys/fs/selinux/enforce") !== null,
  };
}
