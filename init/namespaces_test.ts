import { deepStrictEqual, equal } from "node:assert/strict";
import { formatIdMap, hostIdOf, namespaceBootstrap } from "./namespaces.ts";
import { CLONE_FLAG } from "../lib/bootstrap/clone_flags.ts";
import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import type { Spec } from "../lib/spec/types.ts";

const spec = (linux: Spec["linux"]): Spec => ({ ociVersion: "1.2.0", linux });

Deno.test("CLONE_FLAG has the kernel's CLONE_NEW* values", () => {
  deepStrictEqual(CLONE_FLAG, {
    pid: 0x20000000,
    network: 0x40000000,
    mount: 0x00020000,
    ipc: 0x08000000,
    uts: 0x04000000,
    user: 0x10000000,
    cgroup: 0x02000000,
    time: 0x00000080,
  });
});

Deno.test("namespaceBootstrap() ORs the flags of namespaces without a path", () => {
  const b = namespaceBootstrap(spec({
    namespaces: [{ type: "pid" }, { type: "mount" }, { type: "network", path: "/run/netns/x" }],
  }));
  equal(b.cloneFlags, 0x20000000 | 0x00020000);
  deepStrictEqual(b.nsPaths, [{ flag: 0x40000000, path: "/run/netns/x" }]);
  equal(b.uidMap, undefined);
});

Deno.test("namespaceBootstrap() orders join paths user first, then runc's order", () => {
  const b = namespaceBootstrap(spec({
    namespaces: [
      { type: "time", path: "/t" },
      { type: "mount", path: "/m" },
      { type: "cgroup", path: "/c" },
      { type: "pid", path: "/p" },
      { type: "network", path: "/n" },
      { type: "uts", path: "/u" },
      { type: "ipc", path: "/i" },
      { type: "user", path: "/U" },
    ],
  }));
  equal(b.cloneFlags, 0);
  deepStrictEqual(b.nsPaths.map((p) => p.path), ["/U", "/i", "/u", "/n", "/p", "/m", "/c", "/t"]);
  equal(b.nsPaths[0].flag, CLONE_FLAG.user);
});

Deno.test("namespaceBootstrap() writes id maps only for a created user namespace", () => {
  const maps = {
    uidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }],
    gidMappings: [
      { containerID: 0, hostID: 100000, size: 1 },
      { containerID: 1, hostID: 200000, size: 10 },
    ],
  };
  const created = namespaceBootstrap(spec({ namespaces: [{ type: "user" }], ...maps }));
  equal(created.uidMap, "0 100000 65536\n");
  equal(created.gidMap, "0 100000 1\n1 200000 10\n");
  const joined = namespaceBootstrap(spec({ namespaces: [{ type: "user", path: "/x" }], ...maps }));
  equal(joined.uidMap, undefined);
  equal(joined.gidMap, undefined);
});

Deno.test("namespaceBootstrap() writes time offsets for a created time namespace", () => {
  const b = namespaceBootstrap(spec({
    namespaces: [{ type: "time" }],
    timeOffsets: { monotonic: { secs: 5 }, boottime: { secs: 1, nanosecs: 2 } },
  }));
  equal(b.cloneFlags, CLONE_FLAG.time);
  equal(b.timensOffsets, "monotonic 5 0\nboottime 1 2\n");
});

Deno.test("namespaceBootstrap() of a config without linux is empty", () => {
  deepStrictEqual(namespaceBootstrap({ ociVersion: "1.2.0" }), { cloneFlags: 0, nsPaths: [] });
  equal(formatIdMap([]), "");
});

Deno.test("hostIdOf() maps through the range that holds the id", () => {
  const maps = [{ containerID: 0, hostID: 100000, size: 1000 }, {
    containerID: 1000,
    hostID: 5000,
    size: 10,
  }];
  assertEquals(hostIdOf(maps, 0), 100000);
  assertEquals(hostIdOf(maps, 1005), 5005);
  assertEquals(hostIdOf(undefined, 7), 7);
  assertThrows(() => hostIdOf(maps, 2000));
});
