// The network of a new network namespace: its loopback is set up first
// thing in the init, as runc does (specconv adds its "loopback" network
// for a network namespace without a path; setupNetwork sets lo up before
// prepareRootfs) and crun does, so that 127.0.0.1 works inside. A joined
// namespace (a path) and the host's are left as they are.
//
// Permissions: none.

import type { Spec } from "../lib/spec/types.ts";
import type { DraftOp } from "../lib/bootstrap/plan.ts";
import { createsNamespace } from "../lib/spec/namespaces.ts";

/** LINK_UP of lo when the config makes a new network namespace. */
export function loopbackOps(spec: Spec): DraftOp[] {
  return createsNamespace(spec, "network") ? [{ op: "LINK_UP", target: "lo" }] : [];
}
