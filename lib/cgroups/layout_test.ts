import { assertEquals } from "../testing/assert.ts";
import { cgroupFacts, cgroupLayout, parseProcCgroup } from "./layout.ts";
import { mountPointOf, parseMountinfo } from "../mounts/mountinfo.ts";

const MOUNTINFO = `22 1 0:20 / / rw,relatime - ext4 /dev/vda rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
50 22 0:40 / /tmp/with\\040space rw - tmpfs tmpfs rw
`;
const CGROUP = `12:cpu:/a
11:memory:/b
1:name=systemd:/c
0::/d
`;

Deno.test("cgroupFacts() finds a hybrid layout and the process's v1 paths", () => {
  assertEquals(cgroupFacts(parseMountinfo(MOUNTINFO), CGROUP), {
    mode: "hybrid",
    v1: [
      { mountpoint: "/sys/fs/cgroup/cpu", path: "/a" },
      { mountpoint: "/sys/fs/cgroup/memory", path: "/b" },
      { mountpoint: "/sys/fs/cgroup/systemd", path: "/c" },
    ],
  });
});

Deno.test("cgroupFacts() reports unified when no v1 hierarchy is mounted", () => {
  const mi = "30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n";
  assertEquals(cgroupFacts(parseMountinfo(mi), "0::/x\n"), { mode: "unified" });
  assertEquals(parseProcCgroup("0::/x\n").get(""), "/x");
});

Deno.test("mountPointOf() picks the deepest mount and unescapes octal", () => {
  const mounts = parseMountinfo(MOUNTINFO);
  assertEquals(mountPointOf(mounts, "/tmp/with space/rootfs"), "/tmp/with space");
  assertEquals(mountPointOf(mounts, "/var/lib/x"), "/");
  assertEquals(mountPointOf(mounts, "/sys/fs/cgroup/cpu"), "/sys/fs/cgroup/cpu");
});

Deno.test("cgroupLayout() lists each v1 hierarchy's controllers and own path, and the unified tree", () => {
  const layout = cgroupLayout(parseMountinfo(MOUNTINFO), CGROUP);
  assertEquals(layout, {
    mode: "hybrid",
    v1: [
      { mountpoint: "/sys/fs/cgroup/cpu", controllers: ["cpu"], ownPath: "/a" },
      { mountpoint: "/sys/fs/cgroup/memory", controllers: ["memory"], ownPath: "/b" },
      { mountpoint: "/sys/fs/cgroup/systemd", controllers: ["name=systemd"], ownPath: "/c" },
    ],
    unified: { mountpoint: "/sys/fs/cgroup/unified", ownPath: "/d" },
  });
});

Deno.test("cgroupLayout() reports unified with only a cgroup2 mount", () => {
  const mi = "41 1 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
  assertEquals(cgroupLayout(parseMountinfo(mi), "0::/x\n"), {
    mode: "unified",
    v1: [],
    unified: { mountpoint: "/sys/fs/cgroup", ownPath: "/x" },
  });
});
