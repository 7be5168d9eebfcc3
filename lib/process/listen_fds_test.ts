import { assertEquals } from "../testing/assert.ts";
import { inheritedFds, withEnv } from "./listen_fds.ts";
import type { Spec } from "../spec/types.ts";

Deno.test("inheritedFds() passes socket-activation fds first when LISTEN_PID is runo", () => {
  assertEquals(inheritedFds(1, "2", "77", 77), {
    fds: [3, 4, 3],
    env: ["LISTEN_FDS=2", "LISTEN_PID=1"],
  });
});

Deno.test("inheritedFds() ignores LISTEN_FDS meant for another process", () => {
  assertEquals(inheritedFds(2, "2", "78", 77), { fds: [3, 4], env: [] });
  assertEquals(inheritedFds(0, undefined, undefined, 77), { fds: [], env: [] });
  assertEquals(inheritedFds(0, "x", "77", 77), { fds: [], env: [] });
});

Deno.test("withEnv() appends to process.env", () => {
  const spec: Spec = {
    ociVersion: "1.2.0",
    process: { user: { uid: 0, gid: 0 }, cwd: "/", env: ["A=1"] },
  };
  assertEquals(withEnv(spec, ["B=2"]).process?.env, ["A=1", "B=2"]);
  assertEquals(withEnv(spec, []), spec);
});
