import { assertEquals } from "../testing/assert.ts";
import { cgroupLayout, ownProcsFile } from "./layout.ts";
import { parseMountinfo } from "../mounts/mountinfo.ts";

const MOUNTINFO = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;
const UNIFIED = `30 23 0:28 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw
`;

Deno.test("ownProcsFile() is our own cgroup.procs in the first v1 hierarchy", () => {
  const layout = cgroupLayout(parseMountinfo(MOUNTINFO), "3:cpu:/user/a\n0::/d\n");
  assertEquals(
    ownProcsFile(layout, "3:cpu:/user/a\n0::/d\n"),
    "/sys/fs/cgroup/cpu/user/a/cgroup.procs",
  );
  // Read again at prime time: where the process is now, not at layout time.
  assertEquals(ownProcsFile(layout, "3:cpu:/\n0::/d\n"), "/sys/fs/cgroup/cpu/cgroup.procs");
  assertEquals(ownProcsFile(layout, "0::/d\n"), undefined);
});

Deno.test("ownProcsFile() falls back to the unified tree, and to none", () => {
  const proc = "0::/system.slice/x\n";
  assertEquals(
    ownProcsFile(cgroupLayout(parseMountinfo(UNIFIED), proc), proc),
    "/sys/fs/cgroup/system.slice/x/cgroup.procs",
  );
  assertEquals(ownProcsFile(cgroupLayout([], ""), proc), undefined);
});
