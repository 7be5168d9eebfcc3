import { assertRejects } from "../../testing/assert.ts";
import { systemdCgroupManager } from "./create.ts";
import { MemCgroupFs } from "../memfs.ts";

Deno.test("systemdCgroupManager() refuses rootless on a v1 host before any D-Bus", async () => {
  await assertRejects(
    () =>
      systemdCgroupManager({
        spec: { ociVersion: "1.2.0" },
        id: "x",
        rootless: true,
        layout: {
          mode: "hybrid",
          v1: [{ mountpoint: "/sys/fs/cgroup/pids", controllers: ["pids"], ownPath: "/" }],
        },
        fs: new MemCgroupFs(),
      }),
    Error,
    "Cannot use --systemd-cgroup rootless on a cgroup v1 host",
  );
});
