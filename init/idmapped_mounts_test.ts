import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { hostTreeRequests, IdmapRecursion, idmapRequests, wantsIdmap } from "./idmapped_mounts.ts";
import { type MountContext, mountOps } from "./mounts.ts";
import { MS } from "./mount_options.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";
import type { Spec } from "../lib/spec/types.ts";

const USERNS: Spec = {
  ociVersion: "1.2.0",
  linux: {
    namespaces: [{ type: "user" }, { type: "mount" }],
    uidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }],
    gidMappings: [{ containerID: 0, hostID: 200000, size: 65536 }],
  },
};

Deno.test("wantsIdmap(): idmap, ridmap or per-mount mappings", () => {
  assertEquals(wantsIdmap({ destination: "/x", options: ["bind", "idmap"] }), true);
  assertEquals(wantsIdmap({ destination: "/x", options: ["rbind", "ridmap"] }), true);
  assertEquals(
    wantsIdmap({ destination: "/x", uidMappings: [{ containerID: 0, hostID: 1, size: 1 }] }),
    true,
  );
  assertEquals(wantsIdmap({ destination: "/x", options: ["bind"] }), false);
});

Deno.test("idmapRequests(): idmap without mappings takes the container's", () => {
  const spec: Spec = {
    ...USERNS,
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/data", type: "bind", source: "data", options: ["rbind", "ridmap"] },
    ],
  };
  assertEquals(idmapRequests(spec, "/b"), [{
    index: 1,
    source: "/b/data",
    recursive: IdmapRecursion.TREE | IdmapRecursion.ATTR,
    uidMap: "0 100000 65536\n",
    gidMap: "0 200000 65536\n",
  }]);
});

Deno.test("idmapRequests(): a mount's own mappings win, without a user namespace too", () => {
  const spec: Spec = {
    ociVersion: "1.2.0",
    mounts: [{
      destination: "/d",
      source: "/srv/d",
      options: ["bind"],
      uidMappings: [{ containerID: 0, hostID: 1234, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: 4321, size: 1 }, {
        containerID: 5,
        hostID: 9,
        size: 2,
      }],
    }],
  };
  assertEquals(idmapRequests(spec, "/b"), [{
    index: 0,
    source: "/srv/d",
    recursive: 0,
    uidMap: "0 1234 1\n",
    gidMap: "0 4321 1\n5 9 2\n",
  }]);
});

Deno.test("idmapRequests(): refuses idmap with nothing to map and non-bind mounts", () => {
  assertThrows(
    () =>
      idmapRequests({
        ociVersion: "1.2.0",
        mounts: [{ destination: "/d", source: "/d", options: ["bind", "idmap"] }],
      }, "/b"),
    Error,
    "config.json: /mounts/0/options: An idmapped mount needs uidMappings",
  );
  assertThrows(
    () =>
      idmapRequests({
        ...USERNS,
        mounts: [{ destination: "/t", type: "tmpfs", source: "tmpfs", options: ["idmap"] }],
      }, "/b"),
    Error,
    "/mounts/0/options: Idmapped mounts must be bind mounts",
  );
});

Deno.test("mountOps(): an idmapped bind attaches the prepared tree, then remounts", () => {
  const ctx: MountContext = {
    bundle: "/b",
    cgroup: { mode: "unified" },
    userns: true,
    cgroupns: false,
    treeFds: new Map([[3, 9]]),
  };
  const ops = mountOps(
    { destination: "/d", source: "/s", options: ["bind", "idmap", "ro"] },
    3,
    ctx,
  );
  assertEquals(ops, [
    { op: "ATTACH_TREE_IN_ROOT", step: "mounts[3]", target: "/d", fd: 9 },
    {
      op: "MOUNT_IN_ROOT",
      step: "mounts[3]",
      target: "/d",
      flags: MS.RDONLY | MS.BIND | MS.REMOUNT,
      opts: MountOpt.KEEP_LOCKED | MountOpt.ON_LAST_MOUNT,
    },
  ]);
  assertThrows(() =>
    mountOps({ destination: "/d", source: "/s", options: ["bind", "idmap"] }, 1, ctx)
  );
});

Deno.test("hostTreeRequests(): in a user namespace every plain bind's source is opened by runo", () => {
  const spec: Spec = {
    ociVersion: "1.2.0",
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/a", source: "/host/a", options: ["rbind", "ro"] },
      { destination: "/b", type: "bind", source: "rel" },
      { destination: "/c", source: "/host/c", options: ["bind", "idmap"] },
    ],
    linux: { namespaces: [{ type: "user" }, { type: "mount" }] },
  };
  assertEquals(hostTreeRequests(spec, "/bundle", false), [
    { index: 1, source: "/host/a", recursive: true },
    { index: 2, source: "/bundle/rel", recursive: false },
  ]);
  // A rootless runo may not clone mounts; no user namespace, no need.
  assertEquals(hostTreeRequests(spec, "/bundle", true), []);
  assertEquals(
    hostTreeRequests({ ...spec, linux: { namespaces: [{ type: "mount" }] } }, "/b", false),
    [],
  );
});

Deno.test("mountOps(): a plain bind with a tree attaches it instead of binding the path", () => {
  const ctx: MountContext = {
    bundle: "/b",
    cgroup: { mode: "unified" },
    userns: true,
    cgroupns: false,
    treeFds: new Map([[1, 7]]),
  };
  const ops = mountOps({ destination: "/d", source: "/s", options: ["rbind"] }, 1, ctx);
  assertEquals(ops.map((o) => o.op), ["ATTACH_TREE_IN_ROOT"]);
  assertEquals(ops[0].fd, 7);
});
