import { assert, assertEquals } from "../lib/testing/assert.ts";
import { hookOps } from "./hooks.ts";
import { standardInitPlan } from "./standard_init.ts";
import type { Spec } from "../lib/spec/types.ts";

const spec: Spec = {
  ociVersion: "1.2.0",
  root: { path: "rootfs" },
  process: { user: { uid: 0, gid: 0 }, args: ["sh"], env: ["PATH=/bin"], cwd: "/" },
  linux: { namespaces: [{ type: "mount" }] },
  hooks: {
    createContainer: [{ path: "/h/cc", args: ["cc", "-x"], env: ["A=1"], timeout: 3 }],
    startContainer: [{ path: "/h/sc" }],
  },
};

Deno.test("hookOps() plans RUN_HOOK with exact env, timeout in ms, state fd", () => {
  assertEquals(hookOps(spec.hooks, "createContainer", 7), [{
    op: "RUN_HOOK",
    step: "createContainerHooks[0]",
    source: "/h/cc",
    args: ["cc", "-x"],
    env: ["A=1"],
    value: 3000n,
    fd: 7,
    data: "createContainer",
    num: 0,
  }]);
  const [sc] = hookOps(spec.hooks, "startContainer", 7);
  // startContainer failures are left in the state file for `start`.
  assertEquals([sc.env, sc.value, sc.args, sc.num], [[], 0n, ["/h/sc"], 1]);
  assertEquals(hookOps(undefined, "startContainer", 7), []);
});

Deno.test("standardInitPlan() runs createContainer hooks after procReady, before pivot_root, and startContainer hooks between the fifo wait and execve", () => {
  const plan = standardInitPlan({
    spec,
    bundle: "/b",
    rootfs: "/b/rootfs",
    noPivot: false,
    execFifoFd: 5,
    preservedFds: 0,
    hookStateFd: 6,
    host: { kcoreExists: false, capLastCap: 40, cgroup: { mode: "unified" } },
  });
  const ops = plan.map((o) => o.op);
  const cc = ops.indexOf("RUN_HOOK");
  assertEquals(ops[cc - 1], "SYNC_READY");
  assertEquals(ops[cc + 1], "PIVOT_ROOT");
  assertEquals(ops.slice(-3), ["FIFO_WAIT", "RUN_HOOK", "EXEC"]);
  assertEquals(plan.at(-2)?.source, "/h/sc");
  const none = standardInitPlan({
    spec,
    bundle: "/b",
    rootfs: "/b/rootfs",
    noPivot: false,
    execFifoFd: 5,
    preservedFds: 0,
    host: { kcoreExists: false, capLastCap: 40, cgroup: { mode: "unified" } },
  });
  assert(!none.some((o) => o.op === "RUN_HOOK"), "no state fd, no hook ops");
});
