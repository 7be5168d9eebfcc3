import { assertEquals } from "../testing/assert.ts";
import { frozenCgroup, isFrozenIn } from "./frozen.ts";

const V1 = { version: 1 as const, paths: { freezer: "/cg/freezer/a/b", memory: "/cg/memory/a/b" } };
const V2 = { version: 2 as const, paths: { "": "/cg/a/b" } };
const reader = (files: Record<string, string>) => (p: string) => files[p] ?? null;

Deno.test("frozenCgroup() finds a frozen container cgroup, or the nearest existing ancestor's freeze", () => {
  assertEquals(
    frozenCgroup(reader({ "/cg/freezer/a/b/freezer.state": "FROZEN\n" }), V1),
    "/cg/freezer/a/b",
  );
  // Not made yet: the parent decides (a new child of a frozen cgroup is frozen).
  assertEquals(
    frozenCgroup(reader({ "/cg/freezer/a/freezer.state": "FREEZING\n" }), V1),
    "/cg/freezer/a",
  );
  // The nearest existing one speaks for its ancestors (the kernel folds them in).
  const thawed = {
    "/cg/freezer/a/freezer.state": "THAWED\n",
    "/cg/freezer/freezer.state": "FROZEN\n",
  };
  assertEquals(frozenCgroup(reader(thawed), V1), undefined);
  assertEquals(frozenCgroup(reader({}), V1), undefined);
  assertEquals(
    frozenCgroup(reader({ "/cg/a/cgroup.events": "populated 0\nfrozen 1\n" }), V2),
    "/cg/a",
  );
  assertEquals(
    frozenCgroup(reader({ "/cg/a/b/cgroup.events": "populated 1\nfrozen 0\n" }), V2),
    undefined,
  );
  assertEquals(
    frozenCgroup(reader({}), { version: 1, paths: { memory: "/cg/memory/x" } }),
    undefined,
  );
});

Deno.test("isFrozenIn() reads freezer.state (v1) and cgroup.events (v2)", () => {
  assertEquals(isFrozenIn(reader({ "/cg/freezer/a/b/freezer.state": "FROZEN\n" }), V1), true);
  assertEquals(isFrozenIn(reader({ "/cg/a/b/cgroup.events": "frozen 0\n" }), V2), false);
});
