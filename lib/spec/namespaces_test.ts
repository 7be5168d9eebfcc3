import { assertEquals } from "../testing/assert.ts";
import { createsNamespace, hasNamespace, namespaceIndex } from "./namespaces.ts";
import type { Spec } from "./types.ts";

const spec = {
  ociVersion: "1.3.0",
  linux: { namespaces: [{ type: "pid" }, { type: "network", path: "/proc/1/ns/net" }] },
} as unknown as Spec;

Deno.test("hasNamespace() is true for a namespace made or joined, createsNamespace() only when made", () => {
  assertEquals(namespaceIndex(spec, "network"), 1);
  assertEquals([hasNamespace(spec, "pid"), createsNamespace(spec, "pid")], [true, true]);
  assertEquals([hasNamespace(spec, "network"), createsNamespace(spec, "network")], [true, false]);
  assertEquals([hasNamespace(spec, "user"), createsNamespace(spec, "user")], [false, false]);
  assertEquals(hasNamespace({ ociVersion: "1.3.0" } as Spec, "mount"), false);
});
