import { assertEquals } from "../testing/assert.ts";
import { hasLimits, writableTree } from "./cgroups.ts";

Deno.test("writableTree(): the nearest existing ancestor decides", () => {
  const fs: Record<string, boolean> = {
    "/sys/fs/cgroup/pids/user": true,
    "/sys/fs/cgroup/pids": false,
  };
  const canWrite = (d: string) => fs[d];
  assertEquals(writableTree("/sys/fs/cgroup/pids/user/a/b", canWrite), true);
  assertEquals(writableTree("/sys/fs/cgroup/pids/other/c", canWrite), false);
  assertEquals(writableTree("/x/y", () => undefined), false);
});

Deno.test("hasLimits(): any resource but an empty device list", () => {
  assertEquals(hasLimits({ ociVersion: "1.2.0" }), false);
  assertEquals(hasLimits({ ociVersion: "1.2.0", linux: { resources: { devices: [] } } }), false);
  assertEquals(
    hasLimits({ ociVersion: "1.2.0", linux: { resources: { pids: { limit: 5 } } } }),
    true,
  );
});
