// linux.devices fileMode as engines write it: podman puts the host node's
// st_mode there, file type bits included (8630 = S_IFCHR|0666). The
// permission bits set the node's mode; type bits that contradict `type`
// are refused (runc strips them unchecked).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { isRunc, oneLineError, requires } from "../fixtures/runo.ts";
import { runContainer, shIn } from "../fixtures/container.ts";

const needs = requires("root", "busybox", "cli");

Deno.test({
  name: "devices: a fileMode with the file type bits (podman's 8630) makes a 0666 character device",
  ...needs,
  async fn() {
    const out = await shIn(
      "stat -c '%F %a %t:%T' /dev/null2 && echo x > /dev/null2 && echo wrote",
      {
        config: (c) => {
          c.linux!.devices = [{
            type: "c",
            path: "/dev/null2",
            major: 1,
            minor: 3,
            fileMode: 8630,
          }];
        },
      },
    );
    assert.deepEqual(out.trim().split("\n"), ["character special file 666 1:3", "wrote"]);
  },
});

Deno.test({
  name: "devices: a fileMode whose type bits contradict the device type is refused, naming it",
  ...needs,
  async fn() {
    // S_IFBLK|0660 on a character device.
    const r = await runContainer(["stat", "-c", "%F %a", "/dev/x"], {
      config: (c) => {
        c.linux!.devices = [{ type: "c", path: "/dev/x", major: 1, minor: 3, fileMode: 0o60660 }];
      },
    });
    if (isRunc()) {
      // runo differs on purpose: a fileMode that names another file type is a config
      // error; runc 1.1.5 drops the type bits without a look and makes the node.
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), "character special file 660");
      return;
    }
    assert.notEqual(r.code, 0);
    assert.match(
      oneLineError(r.stderr),
      /\/linux\/devices\/0\/fileMode: .*do not match device type "c"/,
    );
    assert.ok(r.stateRemoved, "state left");
  },
});
