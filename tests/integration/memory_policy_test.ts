// linux.memoryPolicy (runtime spec 1.3): the container's process and an
// exec'd one run with the NUMA policy, read from inside in
// /proc/self/numa_maps (the kernel prints "bind:0", "interleave:0", …
// per mapping). This machine has one NUMA node (node 0): a node it lacks
// is refused in one line before the container starts. runc 1.1.5 predates
// memoryPolicy (it ignores it): under RUNO_BIN=runc these tests are
// ignored with that reason.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { runContainer, running, SLEEPER } from "../fixtures/container.ts";
import { isRunc, oneLineError, requires, sandbox } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli", {
  met: !isRunc(),
  reason: "need linux.memoryPolicy, which runc 1.1.5 lacks (runc 1.4 has it)",
});

const NUMA_MAPS = ["sh", "-c", "cat /proc/self/numa_maps"];

Deno.test({
  name: "memoryPolicy MPOL_BIND on node 0: numa_maps says bind:0, for the process and for exec",
  ...needs,
  async fn() {
    const r = await runContainer(NUMA_MAPS, {
      config: (c) => c.linux!.memoryPolicy = { mode: "MPOL_BIND", nodes: "0" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, / bind:0 /);
    // Positive control: without the policy the same mappings are "default".
    const plain = await runContainer(NUMA_MAPS);
    assert.doesNotMatch(plain.stdout, /bind:/);
    assert.match(plain.stdout, / default /);
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: SLEEPER,
      config: (c) =>
        c.linux!.memoryPolicy = {
          mode: "MPOL_INTERLEAVE",
          nodes: "0",
          flags: ["MPOL_F_STATIC_NODES"],
        },
    });
    const id = await running(sb, bundle);
    const e = await sb.runo(["exec", id, ...NUMA_MAPS]);
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stdout, / interleave=static:0 /);
  },
});

Deno.test({
  name: "memoryPolicy on a node this host lacks, or MPOL_LOCAL with nodes, fails in one line",
  ...needs,
  async fn() {
    for (
      const [policy, text] of [
        [
          { mode: "MPOL_BIND", nodes: "0-63" },
          /\/linux\/memoryPolicy\/nodes.*not online on this host/,
        ],
        [{ mode: "MPOL_LOCAL", nodes: "0" }, /\/linux\/memoryPolicy\/nodes.*takes no nodes/],
      ] as const
    ) {
      const r = await runContainer(["true"], { config: (c) => c.linux!.memoryPolicy = policy });
      assert.notEqual(r.code, 0);
      assert.match(oneLineError(r.stderr), text);
      assert.ok(r.stateRemoved, "nothing left");
    }
  },
});
