// The loopback of a new network namespace is up when the container's
// program starts, with 127.0.0.1, as runc sets it up (its "loopback"
// network, for a network namespace without a path) and crun does.
// joinns_test.ts checks that a joined namespace's lo is left as it is.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { requires } from "../fixtures/runo.ts";
import { shIn } from "../fixtures/container.ts";

Deno.test({
  name: "a new network namespace has lo up with 127.0.0.1, as runc and crun make it",
  ...requires("root", "busybox", "cli"),
  async fn() {
    const out = await shIn("ip -o link show lo; ip -o -4 addr show lo");
    const [link, addr] = out.trim().split("\n");
    assert.match(link, /^1: lo: <LOOPBACK,UP,LOWER_UP>/);
    assert.match(addr, /inet 127\.0\.0\.1\/8/);
  },
});
