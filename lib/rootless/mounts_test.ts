import { assertThrows } from "../testing/assert.ts";
import { checkRootlessMounts } from "./mounts.ts";
import type { Spec } from "../spec/types.ts";

function spec(mounts: Spec["mounts"], net = false): Spec {
  return {
    ociVersion: "1.2.0",
    mounts,
    linux: {
      namespaces: [{ type: "user" }, ...(net ? [{ type: "network" as const }] : [])],
      uidMappings: [{ containerID: 0, hostID: 1000, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: 1000, size: 1 }],
    },
  };
}

Deno.test("checkRootlessMounts(): a fresh sysfs needs the container's own netns", () => {
  const sysfs = [{ destination: "/sys", type: "sysfs", source: "sysfs" }];
  assertThrows(
    () => checkRootlessMounts(spec(sysfs)),
    Error,
    "/mounts/0: a rootless container cannot mount a new sysfs",
  );
  checkRootlessMounts(spec(sysfs, true));
  checkRootlessMounts(
    spec([{ destination: "/sys", type: "none", source: "/sys", options: ["rbind"] }]),
  );
});

Deno.test("checkRootlessMounts(): uid=/gid= options must be mapped", () => {
  checkRootlessMounts(spec([{ destination: "/d", type: "tmpfs", options: ["uid=0", "gid=0"] }]));
  assertThrows(
    () =>
      checkRootlessMounts(spec([{ destination: "/dev/pts", type: "devpts", options: ["gid=5"] }])),
    Error,
    "/mounts/0/options: gid=5: gid 5 is not mapped in linux.gidMappings",
  );
});
