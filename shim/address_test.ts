// Permissions: none.
import { assertEquals, assertMatch, assertNotEquals } from "../lib/testing/assert.ts";
import { fnv1a64, groupHash, socketPath } from "./address.ts";

Deno.test("fnv1a64() gives FNV-1a's published test vectors (Noll)", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assertEquals(fnv1a64(enc("")), 0xcbf29ce484222325n);
  assertEquals(fnv1a64(enc("a")), 0xaf63dc4c8601ec8cn);
  assertEquals(fnv1a64(enc("foobar")), 0x85944171f73967e8n);
});

Deno.test("groupHash() hashes each part with a NUL after it, so parts cannot run together", () => {
  assertEquals(groupHash("a", "b"), fnv1a64(new Uint8Array([0x61, 0, 0x62, 0])).toString(16));
  assertNotEquals(groupHash("a", "b"), groupHash("ab", ""));
});

Deno.test("socketPath() fits sun_path and depends on address and namespace", () => {
  const p = socketPath("/run/containerd/containerd.sock", "k8s.io");
  assertMatch(p, /^\/run\/containerd\/s\/runo-[0-9a-f]{16}$/);
  assertNotEquals(p, socketPath("/run/containerd/containerd.sock", "default"));
  assertNotEquals(p, socketPath("/tmp/other.sock", "k8s.io"));
});
