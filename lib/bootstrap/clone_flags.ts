// The kernel's CLONE_NEW* flag of each OCI namespace type, as the bootstrap
// carries them (Attr.CLONE_FLAGS, Attr.NS_PATH), and runc's order for
// joining namespaces by path. Shared by the planners (init/namespaces.ts),
// exec (lib/container/exec.ts) and the checks of joined paths
// (lib/namespaces/join.ts).
//
// Permissions: none.

import type { NamespaceType } from "../spec/types.ts";

/** CLONE_NEW* flag of each OCI namespace type (<linux/sched.h>). */
export const CLONE_FLAG: Readonly<Record<NamespaceType, number>> = {
  pid: 0x20000000,
  network: 0x40000000,
  mount: 0x00020000,
  ipc: 0x08000000,
  uts: 0x04000000,
  user: 0x10000000,
  cgroup: 0x02000000,
  time: 0x00000080,
};

/** The order in which namespaces are joined (runc's NamespaceTypes()). */
export const JOIN_ORDER: readonly NamespaceType[] = [
  "user",
  "ipc",
  "uts",
  "network",
  "pid",
  "mount",
  "cgroup",
  "time",
];
