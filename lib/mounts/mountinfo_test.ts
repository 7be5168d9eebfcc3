import { deepStrictEqual } from "node:assert/strict";
import { fullPseudoMounts, parseMountinfo } from "./mountinfo.ts";

const MOUNTINFO = [
  "22 1 0:21 / / rw - ext4 /dev/vda rw",
  "23 22 0:22 / /proc rw,nosuid - proc proc rw",
  "24 22 0:23 / /sys rw,nosuid - sysfs sysfs rw",
  "25 23 0:24 / /proc/sys/fs/binfmt_misc rw - autofs systemd-1 rw",
  "26 22 0:22 /sys /mnt/procsys ro - proc proc rw",
  "27 22 0:25 / /b/rootfs/proc rw - proc proc rw",
  "28 22 0:26 / /b/rootfs2/sys rw - sysfs sysfs rw",
  "29 22 0:27 / /mnt/with\\040space rw - proc proc rw",
].join("\n");

Deno.test("fullPseudoMounts() lists full proc and sysfs mounts outside the rootfs, in order", () => {
  deepStrictEqual(fullPseudoMounts(parseMountinfo(MOUNTINFO), "/b/rootfs"), [
    "/proc",
    "/sys",
    "/b/rootfs2/sys",
    "/mnt/with space",
  ]);
});
