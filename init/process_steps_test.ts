import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { DEFAULT_PATH, lookupExecOps, prepareEnv } from "./process_steps.ts";
import { standardInitPlan } from "./standard_init.ts";
import { setnsInitPlan } from "./setns_init.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import type { Process, Spec } from "../lib/spec/types.ts";

Deno.test("prepareEnv() keeps the last value, drops empty HOME, adds HOME", () => {
  deepStrictEqual(prepareEnv(["A=1", "B=2", "A=3"]), ["B=2", "A=3"]);
  deepStrictEqual(prepareEnv(["HOME="], "/root"), ["HOME=/root"]);
  deepStrictEqual(prepareEnv(["HOME=/h"], "/root"), ["HOME=/h"]);
  deepStrictEqual(prepareEnv(["X=1"]), ["X=1"]);
  throws(() => prepareEnv(["=x"]), /\/process\/env\/0/);
});

Deno.test("lookupExecOps() takes the last PATH, runc's default without one", () => {
  const p: Process = { user: { uid: 0, gid: 0 }, args: ["sh"], cwd: "/" };
  equal(lookupExecOps(p, ["PATH=/a", "PATH=/b"])[0].data, "/b");
  equal(lookupExecOps(p, [])[0].data, DEFAULT_PATH);
});

// CAP_CHECKPOINT_RESTORE is 40: above a cap_last_cap of 39 the kernel
// lacks it, and both inits drop it (runc warns, then goes on).
const process: Process = {
  user: { uid: 1000, gid: 1000, additionalGids: [10] },
  args: ["id"],
  env: ["PATH=/bin"],
  cwd: "/tmp",
  capabilities: {
    bounding: ["CAP_KILL", "CAP_CHECKPOINT_RESTORE"],
    effective: ["CAP_KILL"],
    permitted: ["CAP_KILL", "CAP_CHECKPOINT_RESTORE"],
    ambient: ["CAP_CHECKPOINT_RESTORE"],
  },
};
const spec: Spec = {
  ociVersion: "1.2.0",
  root: { path: "rootfs" },
  process,
  linux: { namespaces: [{ type: "mount" }, { type: "pid" }] },
};

const finalize = (plan: readonly PlanOp[]) =>
  plan.filter((o) => o.step === "finalizeNamespace").map(({ step: _, ...o }) => o);

Deno.test("both inits plan the same finalizeNamespace, capabilities above cap_last_cap dropped", () => {
  for (const capLastCap of [39, 40]) {
    const standard = finalize(standardInitPlan({
      spec,
      bundle: "/b",
      rootfs: "/b/rootfs",
      noPivot: false,
      execFifoFd: 5,
      preservedFds: 0,
      host: { kcoreExists: false, capLastCap, cgroup: { mode: "unified" } },
    }));
    const setns = finalize(setnsInitPlan({
      spec,
      process,
      preservedFds: 0,
      lsm: { apparmor: false, selinux: false },
      capLastCap,
    }));
    deepStrictEqual(setns, standard);
    // CAP_KILL (5) kept; CAP_CHECKPOINT_RESTORE (40) only where the kernel has it.
    const capset = standard.find((o) => o.op === "CAPSET") as { permitted?: bigint };
    equal(capset.permitted, capLastCap === 40 ? (1n << 5n) | (1n << 40n) : 1n << 5n);
  }
});
