// --no-pivot (issue 15, item 6): MS_MOVE and chroot leave the host's own
// /proc and /sys mounted in the container's mount namespace, out of sight
// but whole, and the kernel lets a process in a new user namespace mount a
// fresh procfs or sysfs whenever a full one is visible there. runc's
// msMoveRoot detaches (or covers) them first; so does runo. The attacker
// is an unprivileged user of the container (uid 1000) with Docker's
// CAP_SETFCAP, running `unshare -mrpf sh -c 'mount -t proc none /proc'`.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import type { Config } from "../fixtures/bundle.ts";
import { runContainer } from "../fixtures/container.ts";
import { requires } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

const ATTEMPTS: Record<string, string> = {
  proc: "unshare -mrpf sh -c 'mount -t proc none /proc && echo MOUNTED'",
  sysfs: "unshare -mrpfn sh -c 'mount -t sysfs -o ro none /sys && echo MOUNTED'",
};

function attacker(c: Config): void {
  c.process!.user = { uid: 1000, gid: 1000 };
  for (const set of ["bounding", "effective", "permitted"] as const) {
    c.process!.capabilities![set]!.push("CAP_SETFCAP");
  }
}

/** The container's own /proc and /sys left whole: nothing masked, no submount. */
function unmasked(c: Config): void {
  attacker(c);
  c.linux!.maskedPaths = [];
  c.linux!.readonlyPaths = [];
  c.mounts = c.mounts!.filter((m) => m.destination !== "/sys/fs/cgroup");
  const sys = c.mounts.find((m) => m.destination === "/sys")!;
  sys.options = sys.options!.filter((o) => o !== "ro");
}

for (const [fs, script] of Object.entries(ATTEMPTS)) {
  Deno.test({
    name:
      `--no-pivot: a user in a new user namespace cannot mount a fresh ${fs} through the host's`,
    ...needs,
    async fn() {
      // Control: the attack works wherever a full ${fs} is visible, here
      // the container's own one left unmasked.
      const control = await runContainer(["sh", "-c", script], {
        config: unmasked,
        flags: ["--no-pivot"],
      });
      assert.match(control.stdout, /^MOUNTED$/m, control.stdout + control.stderr);
      // With its masks the container's own is not full; the host's must
      // not be reachable either (the old runo mounted here).
      for (const flags of [["--no-pivot"], []]) {
        const r = await runContainer(["sh", "-c", script], { config: attacker, flags });
        assert.doesNotMatch(r.stdout, /MOUNTED/, `${flags}: ${r.stdout}`);
        assert.match(r.stderr, /permission denied/, `${flags}: ${r.stderr}`);
      }
    },
  });
}
