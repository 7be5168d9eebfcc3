import { assertEquals } from "../testing/assert.ts";
import { cgroupDirs } from "./join_cgroups.ts";
import type { MountInfo } from "../mounts/mountinfo.ts";

const mount = (
  mountPoint: string,
  fsType: string,
  superOptions: string,
  root = "/",
): MountInfo => ({
  mountPoint,
  root,
  fsType,
  source: fsType,
  superOptions,
});

Deno.test("cgroupDirs() finds each hierarchy of /proc/<pid>/cgroup (hybrid host)", () => {
  const mounts = [
    mount("/sys/fs/cgroup/unified", "cgroup2", "rw,nsdelegate"),
    mount("/sys/fs/cgroup/cpu,cpuacct", "cgroup", "rw,cpu,cpuacct"),
    mount("/sys/fs/cgroup/systemd", "cgroup", "rw,xattr,name=systemd"),
    mount("/sys/fs/cgroup/memory", "cgroup", "rw,memory", "/outer"),
  ];
  const text = "4:memory:/outer/c1\n3:name=systemd:/c1\n2:cpu,cpuacct:/c1\n0::/\n";
  assertEquals(cgroupDirs(text, mounts), [
    "/sys/fs/cgroup/memory/c1",
    "/sys/fs/cgroup/systemd/c1",
    "/sys/fs/cgroup/cpu,cpuacct/c1",
    "/sys/fs/cgroup/unified",
  ]);
});

Deno.test("cgroupDirs() skips hierarchies that are not mounted", () => {
  assertEquals(cgroupDirs("5:pids:/x\n", [mount("/sys/fs/cgroup/cpu", "cgroup", "rw,cpu")]), []);
});
