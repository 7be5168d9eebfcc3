import { assertEquals } from "../lib/testing/assert.ts";
import type { Spec } from "../lib/spec/types.ts";
import { loopbackOps } from "./network.ts";

const spec = (namespaces?: { type: string; path?: string }[]): Spec =>
  ({ ociVersion: "1.3.0", linux: namespaces ? { namespaces } : {} }) as Spec;

Deno.test("loopbackOps: a new network namespace gets lo up, as runc and crun", () => {
  assertEquals(loopbackOps(spec([{ type: "pid" }, { type: "network" }])), [
    { op: "LINK_UP", target: "lo" },
  ]);
});

Deno.test("loopbackOps: a joined network namespace and the host's are left as they are", () => {
  assertEquals(loopbackOps(spec([{ type: "network", path: "/proc/1/ns/net" }])), []);
  assertEquals(loopbackOps(spec([{ type: "pid" }, { type: "mount" }])), []);
  assertEquals(loopbackOps(spec()), []);
});
