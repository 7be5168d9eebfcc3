import { assert, assertEquals } from "../testing/assert.ts";
import { hasInitHooks, hookArgv } from "./hooks.ts";
import type { Hooks } from "./types.ts";

const hooks: Hooks = {
  createContainer: [{ path: "/h/cc", args: ["cc", "-x"], env: ["A=1"], timeout: 3 }],
  startContainer: [{ path: "/h/sc" }],
};

Deno.test("hookArgv() makes args[0] argv[0], or the path when args is empty", () => {
  assertEquals(hookArgv({ path: "/bin/busybox", args: ["sh", "-c", "x"] }), ["sh", "-c", "x"]);
  assertEquals(hookArgv({ path: "/h" }), ["/h"]);
  assertEquals(hookArgv({ path: "/h", args: [] }), ["/h"]);
});

Deno.test("hasInitHooks() is true only with createContainer or startContainer hooks", () => {
  assert(hasInitHooks(hooks));
  assert(!hasInitHooks({ prestart: [{ path: "/p" }], poststop: [{ path: "/p" }] }));
  assert(!hasInitHooks(undefined));
});
