// The container's root as an attacker's target (issue 15): a mount whose
// destination an image symlink resolves to the root itself (`/data -> /`)
// would cover the whole rootfs with the volume, and the pivot would then
// enter the volume, not the tree the plan's mounts and devices were made
// in; and with a joined mount namespace, another process there can swap a
// path component of the rootfs after the init opened it (here a
// createContainer hook, which runs in that namespace before the pivot,
// moves the bundle away and leaves a decoy in its place). runo refuses the
// first and pivots into the rootfs it opened, by fd, in the second; runc
// 1.1.5 fails the first mount and pivots into the decoy in the second.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { host, isRunc, oneLineError, requires, sandbox, uniqueId } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

Deno.test({
  name: "a mount destination an image symlink resolves to the root is refused, naming it",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const volume = await Deno.makeTempDir({ prefix: "runo-volume-" });
    await Deno.writeTextFile(`${volume}/VOLUME`, "volume\n");
    try {
      await using b = await createBundle({
        args: ["sh", "-c", "ls /; cat /VOLUME 2>/dev/null || echo rootfs"],
        config: (c) => c.mounts!.push({ destination: "/data", type: "bind", source: volume }),
      });
      await Deno.symlink("/", `${b.rootfs}/data`);
      // Set-up: the image's /data leads to its root.
      assert.equal(await Deno.readLink(`${b.rootfs}/data`), "/");
      const r = await sb.runo(["run", "-b", b.dir, sb.track(uniqueId())]);
      if (isRunc()) {
        // runc 1.1.5 fails that mount too, in its own words: its bind
        // through /proc/self/fd/N onto the root fails with ENODEV.
        assert.notEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, /to rootfs at .*\/data.*no such device/);
      } else {
        assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
        assert.match(oneLineError(r.stderr), /"\/data".*resolves to the container's root/);
      }
      assert.deepEqual([...Deno.readDirSync(volume)].map((e) => e.name), ["VOLUME"]);
    } finally {
      await Deno.remove(volume, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "joined mount namespace: a rootfs path swapped before the pivot does not move the container into the decoy",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    // The namespace to join: a private copy of the host's mount table.
    const holder = new Deno.Command("unshare", {
      args: ["--mount", "--propagation", "private", "sleep", "60"],
    }).spawn();
    const parent = await Deno.makeTempDir({ prefix: "runo-swap-" });
    const moved = `${parent}.moved`;
    try {
      await waitForNs(holder.pid);
      await using b = await createBundle({ args: ["cat", "/MARK"] });
      await Deno.writeTextFile(`${b.rootfs}/MARK`, "real\n");
      // The bundle under `parent`, so that the hook can move `parent`
      // (the rootfs itself is a mount point there, and cannot be renamed).
      await Deno.rename(b.dir, `${parent}/bundle`);
      const bundle = `${parent}/bundle`;
      const config = JSON.parse(await Deno.readTextFile(`${bundle}/config.json`));
      config.root.path = `${bundle}/rootfs`;
      config.linux.namespaces = config.linux.namespaces.filter((n: { type: string }) =>
        n.type !== "mount"
      );
      config.linux.namespaces.push({ type: "mount", path: `/proc/${holder.pid}/ns/mnt` });
      // The decoy is a mount point too, so that pivot_root would take it.
      const swap = `mv ${parent} ${moved} && mkdir -p ${bundle}/rootfs && ` +
        `echo decoy > ${bundle}/rootfs/MARK && mount --bind ${bundle}/rootfs ${bundle}/rootfs`;
      config.hooks = { createContainer: [{ path: "/bin/sh", args: ["sh", "-c", swap] }] };
      await Deno.writeTextFile(`${bundle}/config.json`, JSON.stringify(config));
      const r = await sb.runo(["run", "-b", bundle, sb.track(uniqueId())]);
      // Set-up: the hook swapped the path (the host shares the file system).
      assert.equal(await Deno.readTextFile(`${moved}/bundle/rootfs/MARK`), "real\n");
      assert.equal(await Deno.readTextFile(`${bundle}/rootfs/MARK`), "decoy\n");
      if (isRunc()) {
        // runo differs on purpose (security): runc 1.1.5 opens the rootfs by
        // path again to pivot: it enters the decoy, and then fails there,
        // finding no /dev/null in it.
        assert.notEqual(r.stdout, "real\n", r.stderr);
        assert.match(r.stderr, /reopening \/dev\/null inside container/);
        return;
      }
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "real\n");
    } finally {
      holder.kill("SIGKILL");
      await holder.status;
      await Deno.rename(`${moved}/bundle`, `${parent}/bundle.back`).catch(() => {});
      await Deno.remove(moved, { recursive: true }).catch(() => {});
      await Deno.remove(parent, { recursive: true }).catch(() => {});
    }
  },
});

/** Until `pid` runs in a mount namespace of its own. */
async function waitForNs(pid: number): Promise<void> {
  const link = async (p: string) => (await host("readlink", [`/proc/${p}/ns/mnt`])).stdout;
  const own = await link("self");
  for (let i = 0; i < 100; i++) {
    if (await link(String(pid)) !== own) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("unshare did not make its mount namespace");
}
