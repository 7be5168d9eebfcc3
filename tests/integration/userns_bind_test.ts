// Bind sources the container's user namespace cannot reach (issue 16,
// item 10): a directory and a file under a root-owned 0700 host directory,
// bound into a container whose root is host uid 100000. The container's
// root may not search that directory, so the init could not resolve the
// source; runo opens it in the host's namespaces and hands the init a
// detached tree (runc's mount-fds path). The control shows the container's
// root really cannot reach the source by itself.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { requires } from "../fixtures/runo.ts";
import { runSh, withUserns } from "./helpers/userns.ts";

const needs = requires("root", "busybox", "cli");

/** <tmp>/priv (root 0700) holding data/hello.txt and file.txt, world-readable. */
async function privateSource(): Promise<string> {
  const top = await Deno.makeTempDir({ prefix: "runo-privsrc-" });
  await Deno.chmod(top, 0o755);
  await Deno.mkdir(`${top}/priv/data`, { recursive: true });
  await Deno.chmod(`${top}/priv`, 0o700);
  await Deno.chmod(`${top}/priv/data`, 0o755);
  await Deno.writeTextFile(`${top}/priv/data/hello.txt`, "hello from data\n", { mode: 0o644 });
  await Deno.writeTextFile(`${top}/priv/file.txt`, "hello from file\n", { mode: 0o644 });
  return top;
}

Deno.test({
  name:
    "userns: binds of a directory and a file under a root-only 0700 directory are mounted and readable",
  ...needs,
  async fn() {
    const top = await privateSource();
    try {
      // Control: the container's root, host uid 100000, is refused the
      // private directory when it walks there itself.
      const control = await runSh("ls /top/priv", (c) => {
        withUserns(c);
        c.mounts!.push({ destination: "/top", type: "bind", source: top, options: ["rbind"] });
      }, (b) => Deno.mkdir(`${b.rootfs}/top`));
      assert.notEqual(control.code, 0, control.stdout);
      assert.match(control.stderr, /Permission denied/, control.stderr);

      const r = await runSh(
        "cat /mnt/data/hello.txt /mnt/file.txt; grep -c ' /mnt/' /proc/self/mountinfo",
        (c) => {
          withUserns(c);
          c.mounts!.push(
            {
              destination: "/mnt/data",
              type: "bind",
              source: `${top}/priv/data`,
              options: ["rbind", "ro"],
            },
            {
              destination: "/mnt/file.txt",
              type: "bind",
              source: `${top}/priv/file.txt`,
              options: ["bind"],
            },
          );
        },
        async (b) => {
          // The rootfs is not the container root's: the mount points exist.
          await Deno.mkdir(`${b.rootfs}/mnt/data`, { recursive: true });
          await Deno.writeTextFile(`${b.rootfs}/mnt/file.txt`, "");
        },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split("\n"), ["hello from data", "hello from file", "2"]);
    } finally {
      await Deno.remove(top, { recursive: true });
    }
  },
});
