// This process's own mount table, read and parsed: create's cgroup layout
// and host facts, exec's cgroup join and the bundle entry's cgroup warming
// all start from it.
//
// Permissions: --allow-ffi (/proc).

import { readKernelFile } from "../../ffi/kernfs.ts";
import { type MountInfo, parseMountinfo } from "./mountinfo.ts";

/** /proc/self/mountinfo, parsed. */
export function hostMounts(): MountInfo[] {
  return parseMountinfo(readKernelFile("/proc/self/mountinfo", 1 << 20));
}
