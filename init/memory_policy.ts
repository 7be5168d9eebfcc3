// linux.memoryPolicy (runtime spec 1.3, runc 1.4's setupMemoryPolicy):
// the NUMA policy the init sets with set_mempolicy(2) before the container
// program runs; it is inherited across fork and kept across execve, and an
// exec'd process gets it too. Mode, flags and node list are checked here
// as runc's validator and the kernel rules go: DEFAULT and LOCAL take no
// node, BIND, INTERLEAVE, WEIGHTED_INTERLEAVE and PREFERRED_MANY at least
// one, PREFERRED any; STATIC_NODES and RELATIVE_NODES exclude each other;
// nodes (unless relative) must be online on this host.
//
// Permissions: none.

import type { PlanOp } from "../lib/bootstrap/plan.ts";
import type { MemoryPolicy } from "../lib/spec/types.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { formatIdList, idMask, parseIdList } from "../lib/spec/cpu_list.ts";

/** <linux/mempolicy.h> modes, by their spec names. */
export const MPOL_MODES: Readonly<Record<string, number>> = {
  MPOL_DEFAULT: 0,
  MPOL_PREFERRED: 1,
  MPOL_BIND: 2,
  MPOL_INTERLEAVE: 3,
  MPOL_LOCAL: 4,
  MPOL_PREFERRED_MANY: 5,
  MPOL_WEIGHTED_INTERLEAVE: 6,
};

/** Mode flags, ORed into set_mempolicy's mode. */
export const MPOL_FLAGS: Readonly<Record<string, number>> = {
  MPOL_F_STATIC_NODES: 1 << 15,
  MPOL_F_RELATIVE_NODES: 1 << 14,
  MPOL_F_NUMA_BALANCING: 1 << 13,
};

const NO_NODES = new Set(["MPOL_DEFAULT", "MPOL_LOCAL"]);
const SOME_NODES = new Set([
  "MPOL_BIND",
  "MPOL_INTERLEAVE",
  "MPOL_WEIGHTED_INTERLEAVE",
  "MPOL_PREFERRED_MANY",
]);

const P = "/linux/memoryPolicy";

function nodesOf(policy: MemoryPolicy): number[] {
  const ids = parseIdList(policy.nodes ?? "");
  if (typeof ids === "string") {
    throw new ConfigError(`${P}/nodes`, `invalid node list "${policy.nodes}": ${ids}`);
  }
  if (NO_NODES.has(policy.mode) && ids.length > 0) {
    throw new ConfigError(`${P}/nodes`, `${policy.mode} takes no nodes, got "${policy.nodes}"`);
  }
  if (SOME_NODES.has(policy.mode) && ids.length === 0) {
    throw new ConfigError(`${P}/nodes`, `${policy.mode} needs at least one node`);
  }
  return ids;
}

/**
 * The SET_MEMPOLICY operation for `policy`, or none. `online`: the host's
 * online NUMA nodes (/sys/devices/system/node/online); unknown: unchecked.
 */
export function memoryPolicyOps(
  policy: MemoryPolicy | undefined,
  online?: readonly number[],
): Omit<Extract<PlanOp, { op: "SET_MEMPOLICY" }>, "step">[] {
  if (!policy) return [];
  const mode = MPOL_MODES[policy.mode];
  if (mode === undefined) {
    throw new ConfigError(`${P}/mode`, `unknown memory policy mode "${policy.mode}"`);
  }
  const flags = policy.flags ?? [];
  if (flags.includes("MPOL_F_STATIC_NODES") && flags.includes("MPOL_F_RELATIVE_NODES")) {
    throw new ConfigError(
      `${P}/flags`,
      "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other",
    );
  }
  let bits = 0;
  flags.forEach((f, i) => {
    if (MPOL_FLAGS[f] === undefined) {
      throw new ConfigError(`${P}/flags/${i}`, `unknown memory policy flag "${f}"`);
    }
    bits |= MPOL_FLAGS[f];
  });
  const nodes = nodesOf(policy);
  if (online && !flags.includes("MPOL_F_RELATIVE_NODES")) {
    const absent = nodes.filter((n) => !online.includes(n));
    if (absent.length > 0) {
      throw new ConfigError(
        `${P}/nodes`,
        `NUMA node${absent.length > 1 ? "s" : ""} ${
          formatIdList(absent)
        } not online on this host (online: ${formatIdList(online) || "none"})`,
      );
    }
  }
  // Whole unsigned longs: the kernel reads the mask in 8-byte words.
  const words = Math.ceil((nodes.length ? Math.max(...nodes) + 1 : 1) / 64);
  return [{
    op: "SET_MEMPOLICY",
    num: mode | bits,
    ...(nodes.length ? { bytes: idMask(nodes, words * 8) } : {}),
  }];
}
