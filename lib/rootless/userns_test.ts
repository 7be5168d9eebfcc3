import { assertEquals, assertThrows } from "../testing/assert.ts";
import { rootlessUserns, selfMapOnly } from "./userns.ts";
import type { Spec } from "../spec/types.ts";

const IDS = { uid: 1000, gid: 1000 };
const found = (name: string) => `/usr/bin/${name}`;

function spec(uid: { containerID: number; hostID: number; size: number }[], gid = uid): Spec {
  return {
    ociVersion: "1.2.0",
    linux: { namespaces: [{ type: "user" }], uidMappings: uid, gidMappings: gid },
  };
}

Deno.test("selfMapOnly(): one line of size 1 onto our own id", () => {
  assertEquals(selfMapOnly([{ containerID: 0, hostID: 1000, size: 1 }], 1000), true);
  assertEquals(selfMapOnly([{ containerID: 0, hostID: 1000, size: 2 }], 1000), false);
  assertEquals(selfMapOnly([{ containerID: 0, hostID: 100000, size: 1 }], 1000), false);
  assertEquals(selfMapOnly(undefined, 1000), false);
});

Deno.test("rootlessUserns(): the caller's own ids are written directly, setgroups denied", () => {
  assertEquals(rootlessUserns(spec([{ containerID: 0, hostID: 1000, size: 1 }]), IDS, found), {
    setgroupsDeny: true,
  });
});

Deno.test("rootlessUserns(): several ranges or subordinate ids go through newuidmap/newgidmap", () => {
  const s = spec([
    { containerID: 0, hostID: 1000, size: 1 },
    { containerID: 1, hostID: 100000, size: 65536 },
  ]);
  assertEquals(rootlessUserns(s, IDS, found), {
    uidmapPath: "/usr/bin/newuidmap",
    gidmapPath: "/usr/bin/newgidmap",
  });
  const mixed = spec([{ containerID: 0, hostID: 1000, size: 1 }], [
    { containerID: 0, hostID: 100000, size: 10 },
  ]);
  assertEquals(rootlessUserns(mixed, IDS, found), { gidmapPath: "/usr/bin/newgidmap" });
});

Deno.test("rootlessUserns(): a joined user namespace needs nothing", () => {
  assertEquals(
    rootlessUserns(
      {
        ociVersion: "1.2.0",
        linux: { namespaces: [{ type: "user", path: "/proc/1/ns/user" }] },
      },
      IDS,
      found,
    ),
    {},
  );
});

Deno.test("rootlessUserns(): refuses no user namespace and a missing helper, by pointer", () => {
  assertThrows(
    () =>
      rootlessUserns({ ociVersion: "1.2.0", linux: { namespaces: [{ type: "pid" }] } }, IDS, found),
    Error,
    "config.json: /linux/namespaces: a rootless container needs a user namespace",
  );
  assertThrows(
    () => rootlessUserns(spec([{ containerID: 0, hostID: 5, size: 1 }]), IDS, () => undefined),
    Error,
    "/linux/uidMappings: mapping ids other than the caller's own needs newuidmap",
  );
});
