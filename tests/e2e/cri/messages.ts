// The CRI messages the e2e test sends and reads (k8s.io/cri-api
// runtime/v1 api.proto, as containerd 1.6 vendors it): only the fields
// used, with the API's field numbers, through runo's shim schema.
//
// Permissions: none.

import {
  bool,
  bytes,
  i32,
  i64,
  map,
  message,
  msg,
  rep,
  str,
  u32,
  u64,
} from "../../../shim/proto/schema.ts";

/** NamespaceMode: POD 0, CONTAINER 1, NODE 2, TARGET 3. */
export const NODE = 2;

export const NamespaceOption = message("runtime.v1.NamespaceOption", {
  network: i32(1),
  pid: i32(2),
  ipc: i32(3),
});
export const LinuxSandboxSecurityContext = message("runtime.v1.LinuxSandboxSecurityContext", {
  namespaceOptions: msg(1, NamespaceOption),
});
export const LinuxPodSandboxConfig = message("runtime.v1.LinuxPodSandboxConfig", {
  cgroupParent: str(1),
  securityContext: msg(2, LinuxSandboxSecurityContext),
});
export const PodSandboxMetadata = message("runtime.v1.PodSandboxMetadata", {
  name: str(1),
  uid: str(2),
  namespace: str(3),
  attempt: u32(4),
});
export const PodSandboxConfig = message("runtime.v1.PodSandboxConfig", {
  metadata: msg(1, PodSandboxMetadata),
  hostname: str(2),
  logDirectory: str(3),
  labels: map(6),
  annotations: map(7),
  linux: msg(8, LinuxPodSandboxConfig),
});
export const RunPodSandboxRequest = message("runtime.v1.RunPodSandboxRequest", {
  config: msg(1, PodSandboxConfig),
  runtimeHandler: str(2),
});
export const RunPodSandboxResponse = message("runtime.v1.RunPodSandboxResponse", {
  podSandboxId: str(1),
});
export const PodSandboxIdRequest = message("runtime.v1.PodSandboxIdRequest", {
  podSandboxId: str(1),
});

export const ContainerMetadata = message("runtime.v1.ContainerMetadata", {
  name: str(1),
  attempt: u32(2),
});
export const ImageSpec = message("runtime.v1.ImageSpec", { image: str(1) });
export const KeyValue = message("runtime.v1.KeyValue", { key: str(1), value: str(2) });
export const ContainerConfig = message("runtime.v1.ContainerConfig", {
  metadata: msg(1, ContainerMetadata),
  image: msg(2, ImageSpec),
  command: rep(str(3)),
  args: rep(str(4)),
  envs: rep(msg(6, KeyValue)),
  logPath: str(11),
  tty: bool(14),
});
export const CreateContainerRequest = message("runtime.v1.CreateContainerRequest", {
  podSandboxId: str(1),
  config: msg(2, ContainerConfig),
  sandboxConfig: msg(3, PodSandboxConfig),
});
export const CreateContainerResponse = message("runtime.v1.CreateContainerResponse", {
  containerId: str(1),
});
export const ContainerIdRequest = message("runtime.v1.ContainerIdRequest", {
  containerId: str(1),
});
export const StopContainerRequest = message("runtime.v1.StopContainerRequest", {
  containerId: str(1),
  timeout: i64(2),
});

export const ExecSyncRequest = message("runtime.v1.ExecSyncRequest", {
  containerId: str(1),
  cmd: rep(str(2)),
  timeout: i64(3),
});
export const ExecSyncResponse = message("runtime.v1.ExecSyncResponse", {
  stdout: bytes(1),
  stderr: bytes(2),
  exitCode: i32(3),
});

export const UInt64Value = message("runtime.v1.UInt64Value", { value: u64(1) });
export const CpuUsage = message("runtime.v1.CpuUsage", {
  timestamp: i64(1),
  usageCoreNanoSeconds: msg(2, UInt64Value),
});
export const MemoryUsage = message("runtime.v1.MemoryUsage", {
  timestamp: i64(1),
  workingSetBytes: msg(2, UInt64Value),
});
export const ContainerAttributes = message("runtime.v1.ContainerAttributes", { id: str(1) });
export const ContainerStats = message("runtime.v1.ContainerStats", {
  attributes: msg(1, ContainerAttributes),
  cpu: msg(2, CpuUsage),
  memory: msg(3, MemoryUsage),
});
export const ContainerStatsResponse = message("runtime.v1.ContainerStatsResponse", {
  stats: msg(1, ContainerStats),
});

export const Empty = message("runtime.v1.Empty", {});
