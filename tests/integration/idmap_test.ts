// Idmapped bind mounts: the owners a container sees through a mount with
// "idmap"/"ridmap" or per-mount uidMappings, and the on-disk owner of a
// file it creates there, against a plain bind of the same directory.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import type { Config } from "../fixtures/bundle.ts";
import { isRunc, requires } from "../fixtures/runo.ts";
import { BASE, bindHostSys, ownedFiles, owners, runSh, withUserns } from "./helpers/userns.ts";

const needs = requires("root", "busybox", "cli");

// runo differs on purpose from runc 1.1.5, which predates idmapped mounts
// (spec 1.1's "idmap"/"ridmap" and per-mount mappings; runc 1.2 has them):
// it ignores them, and a plain bind is what its containers see.
const OVERFLOW = ["root-file 65534 65534", "user-file 65534 65534"];

/** A bind of `dir` on /data with extra fields, after the default mounts. */
function bindData(dir: string, extra: Record<string, unknown> = {}, options = ["bind"]) {
  return (c: Config) =>
    c.mounts!.push({ destination: "/data", type: "bind", source: dir, options, ...extra });
}

const mkData = (b: { rootfs: string }) => Deno.mkdir(`${b.rootfs}/data`);

async function lsData(config: (c: Config) => void, script = "ls -ln /data"): Promise<string> {
  const r = await runSh(script, config, mkData);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

Deno.test({
  name: "idmap: host-root files are root's inside a userns container, and its files root's on disk",
  ...needs,
  async fn() {
    const dir = await ownedFiles({ "root-file": [0, 0], "user-file": [1000, 1001] });
    try {
      const plain = await lsData((c) => {
        withUserns(c);
        bindData(dir)(c);
      });
      // Without idmap, ids outside the container's mapping show as overflow.
      assert.deepEqual(owners(plain), OVERFLOW);
      const idmapped = (c: Config) => {
        withUserns(c);
        bindData(dir, {}, ["bind", "idmap"])(c);
      };
      if (isRunc()) {
        // runc 1.1.5: a plain bind, which root inside cannot write.
        const r = await runSh("ls -ln /data; touch /data/made-inside", idmapped, mkData);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /made-inside: Permission denied/);
        assert.deepEqual(owners(r.stdout), OVERFLOW);
        return;
      }
      const mapped = await lsData(idmapped, "ls -ln /data && touch /data/made-inside");
      assert.deepEqual(owners(mapped), ["root-file 0 0", "user-file 1000 1001"]);
      const made = await Deno.stat(`${dir}/made-inside`);
      assert.deepEqual([made.uid, made.gid], [0, 0], "created through the idmap: on-disk root");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "idmap: a plain bind in a userns container writes files as the mapped host id",
  ...needs,
  async fn() {
    const dir = await ownedFiles({});
    await Deno.chown(dir, BASE, BASE);
    try {
      await lsData((c) => {
        withUserns(c);
        bindData(dir)(c);
      }, "touch /data/made-inside");
      const made = await Deno.stat(`${dir}/made-inside`);
      assert.deepEqual([made.uid, made.gid], [BASE, BASE]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "idmap: per-mount uidMappings/gidMappings, in a container without a user namespace",
  ...needs,
  async fn() {
    const dir = await ownedFiles({ "root-file": [0, 0], "other": [7, 8] });
    try {
      const out = await lsData(bindData(dir, {
        uidMappings: [{ containerID: 0, hostID: 1234, size: 1 }, {
          containerID: 7,
          hostID: 2000,
          size: 1,
        }],
        gidMappings: [{ containerID: 0, hostID: 4321, size: 10 }],
      }));
      // runc 1.1.5: the mappings ignored, the files' own ids.
      const want = isRunc()
        ? ["other 7 8", "root-file 0 0"]
        : ["other 2000 4329", "root-file 1234 4321"];
      assert.deepEqual(owners(out), want);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "idmap: ridmap on an rbind, read-only remount kept",
  ...needs,
  async fn() {
    const dir = await ownedFiles({ "root-file": [0, 0] });
    try {
      const r = await runSh(
        "ls -ln /data; touch /data/x 2>&1; grep ' /data ' /proc/self/mountinfo",
        (c) => {
          withUserns(c);
          bindData(dir, {}, ["rbind", "ridmap", "ro"])(c);
        },
        mkData,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Read-only file system/);
      if (isRunc()) {
        // runc 1.1.5: a plain read-only rbind, owners as overflow ids.
        assert.deepEqual(owners(r.stdout), ["root-file 65534 65534"]);
        assert.match(r.stdout, /\/data ro,/);
        assert.doesNotMatch(r.stdout, /idmapped/);
        return;
      }
      assert.deepEqual(owners(r.stdout), ["root-file 0 0"]);
      assert.match(r.stdout, /\/data ro,.*idmapped/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "idmap: refused with a pointer when nothing gives the mappings, nothing left behind",
  ...needs,
  async fn() {
    const r = await runSh("true", (c) => {
      bindHostSys(c);
      bindData("/tmp", {}, ["bind", "idmap"])(c);
    });
    if (isRunc()) {
      // runc 1.1.5 ignores "idmap" and runs the container with a plain bind.
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stateRemoved, "state directory left behind");
      return;
    }
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /^runo: config\.json: \/mounts\/\d+\/options: An idmapped mount needs uidMappings/,
    );
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.ok(r.stateRemoved, "state directory left behind");
  },
});
