// linux.memoryPolicy → SET_MEMPOLICY, against set_mempolicy(2)'s values
// (<linux/mempolicy.h>) and runc's validator.
//
// Permissions: none.

import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { MEMORY_POLICY_FLAGS, MEMORY_POLICY_MODES } from "../lib/spec/parse_linux.ts";
import { memoryPolicyOps, MPOL_FLAGS, MPOL_MODES } from "./memory_policy.ts";

Deno.test("every mode and flag the spec lists has its kernel value", () => {
  assertEquals(Object.keys(MPOL_MODES).sort(), [...MEMORY_POLICY_MODES].sort());
  assertEquals(Object.keys(MPOL_FLAGS).sort(), [...MEMORY_POLICY_FLAGS].sort());
  assertEquals([MPOL_MODES.MPOL_BIND, MPOL_MODES.MPOL_WEIGHTED_INTERLEAVE], [2, 6]);
  assertEquals(MPOL_FLAGS.MPOL_F_STATIC_NODES, 0x8000);
});

Deno.test("mode | flags in num, the nodes as whole 8-byte words", () => {
  const [op] = memoryPolicyOps(
    { mode: "MPOL_BIND", nodes: "0,2", flags: ["MPOL_F_STATIC_NODES"] },
    [0, 1, 2],
  );
  assertEquals(op.num, 2 | 0x8000);
  assertEquals([...op.bytes!], [0b101, 0, 0, 0, 0, 0, 0, 0]);
  const [wide] = memoryPolicyOps({ mode: "MPOL_INTERLEAVE", nodes: "64" });
  assertEquals(wide.bytes!.length, 16);
  assertEquals(memoryPolicyOps({ mode: "MPOL_LOCAL" }), [{ op: "SET_MEMPOLICY", num: 4 }]);
  assertEquals(memoryPolicyOps(undefined), []);
});

Deno.test("runc's node rules, exclusive flags and offline nodes are refused at their pointer", () => {
  const cases: [Parameters<typeof memoryPolicyOps>, string, string][] = [
    [[{ mode: "MPOL_DEFAULT", nodes: "0" }], "/linux/memoryPolicy/nodes", "takes no nodes"],
    [[{ mode: "MPOL_BIND" }], "/linux/memoryPolicy/nodes", "needs at least one node"],
    [
      [{ mode: "MPOL_BIND", nodes: "0", flags: ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"] }],
      "/linux/memoryPolicy/flags",
      "exclude",
    ],
    [
      [{ mode: "MPOL_BIND", nodes: "0-2" }, [0]],
      "/linux/memoryPolicy/nodes",
      "NUMA nodes 1-2 not online on this host (online: 0)",
    ],
  ];
  for (const [args, pointer, text] of cases) {
    const err = assertThrows(() => memoryPolicyOps(...args), ConfigError);
    assertEquals([err.pointer, err.reason.includes(text)], [pointer, true], err.message);
  }
  // Relative nodes index the cpuset's nodes: not checked against the host's.
  memoryPolicyOps({ mode: "MPOL_BIND", nodes: "3", flags: ["MPOL_F_RELATIVE_NODES"] }, [0]);
  memoryPolicyOps({ mode: "MPOL_PREFERRED" }, [0]);
});
