// The runc shim's options (containerd runtime/v2/runc/options/oci.proto),
// which containerd passes to any io.containerd.*.v2 runtime that is
// configured like runc (ctr, and CRI's runc-style runtime options).
//
// Permissions: none.

import { bool, type Infer, message, str, u32 } from "./schema.ts";

export const RuncOptions = message("containerd.runc.v1.Options", {
  noPivotRoot: bool(1),
  noNewKeyring: bool(2),
  shimCgroup: str(3),
  ioUid: u32(4),
  ioGid: u32(5),
  binaryName: str(6),
  root: str(7),
  criuPath: str(8),
  systemdCgroup: bool(9),
  criuImagePath: str(10),
  criuWorkPath: str(11),
});
export type RuncOptions = Infer<typeof RuncOptions>;

/** ProcessInfo.info of an exec'd process in Pids. */
export const ProcessDetails = message("containerd.runc.v1.ProcessDetails", { execId: str(1) });

/** The CRI's options for runtimes not of runc's type (containerd pkg/cri runtimeoptions). */
export const CriOptions = message("runtimeoptions.v1.Options", {
  typeUrl: str(1),
  configPath: str(2),
});
