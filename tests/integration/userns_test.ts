// User namespaces created by root with mappings to 100000+ that do not map
// host root at all: ids seen inside (/proc/self/uid_map, id), owners of the
// bundle's files as the container sees them, and the host owners of files
// the container creates in a bind mount.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { requires } from "../fixtures/runo.ts";
import { BASE, ownedFiles, owners, runSh, withUserns } from "./helpers/userns.ts";

const needs = requires("root", "busybox", "cli");

const norm = (out: string) => out.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " "));

Deno.test({
  name:
    "userns: several ranges are mapped as configured; root writes them directly (setgroups allowed)",
  ...needs,
  async fn() {
    const r = await runSh(
      "cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u; id -g; id -G",
      (c) => {
        withUserns(c);
        c.linux!.uidMappings = [
          { containerID: 0, hostID: BASE, size: 1000 },
          { containerID: 1000, hostID: 300000, size: 1000 },
        ];
        c.linux!.gidMappings = [
          { containerID: 0, hostID: BASE, size: 10 },
          { containerID: 10, hostID: 400000, size: 2000 },
        ];
        c.process!.user = { uid: 1500, gid: 1500, additionalGids: [5, 20] };
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(norm(r.stdout), [
      `0 ${BASE} 1000`,
      "1000 300000 1000",
      `0 ${BASE} 10`,
      "10 400000 2000",
      "allow",
      "1500",
      "1500",
      "1500 5 20",
    ]);
  },
});

Deno.test({
  name: "userns: bundle files are seen with their mapped owners, unmapped ones as the overflow id",
  ...needs,
  async fn() {
    const r = await runSh("ls -ln /owned", withUserns, async (b) => {
      await Deno.mkdir(`${b.rootfs}/owned`);
      const files: [string, number][] = [["host-root", 0], ["base", BASE], ["base-42", BASE + 42]];
      for (const [name, id] of files) {
        await Deno.writeTextFile(`${b.rootfs}/owned/${name}`, "");
        await Deno.chown(`${b.rootfs}/owned/${name}`, id, id);
      }
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(owners(r.stdout), ["base 0 0", "base-42 42 42", "host-root 65534 65534"]);
  },
});

Deno.test({
  name: "userns: files created in a bind mount belong to the mapped host ids",
  ...needs,
  async fn() {
    const dir = await ownedFiles({});
    await Deno.chmod(dir, 0o1777);
    try {
      const r = await runSh(
        "touch /data/by-root; ls -ln /data",
        (c) => {
          withUserns(c);
          c.mounts!.push({ destination: "/data", type: "bind", source: dir, options: ["bind"] });
        },
        (b) => Deno.mkdir(`${b.rootfs}/data`),
      );
      assert.equal(r.code, 0, r.stderr);
      const made = await Deno.stat(`${dir}/by-root`);
      assert.deepEqual([made.uid, made.gid], [BASE, BASE]);
      // Inside, the same file is root's.
      assert.ok(owners(r.stdout).includes("by-root 0 0"), r.stdout);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "userns: a non-root process user creates files as BASE+uid on the host",
  ...needs,
  async fn() {
    const dir = await ownedFiles({});
    await Deno.chmod(dir, 0o1777);
    try {
      const r = await runSh("id -u; touch /data/made", (c) => {
        withUserns(c);
        c.process!.user = { uid: 1000, gid: 1000 };
        c.mounts!.push({ destination: "/data", type: "bind", source: dir, options: ["bind"] });
      }, (b) => Deno.mkdir(`${b.rootfs}/data`));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), "1000");
      const made = await Deno.stat(`${dir}/made`);
      assert.deepEqual([made.uid, made.gid], [BASE + 1000, BASE + 1000]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
