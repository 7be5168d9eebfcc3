// containerd.task.v2 (runtime/v2/task/shim.proto, the same messages as
// containerd 2's task.v3): the requests and responses of the Task
// service, with containerd's field numbers, and the process types of
// containerd.v1.types (api/types/task/task.proto).
//
// Permissions: none.

import { Any, Mount, Timestamp } from "./types.ts";
import { bool, type Infer, map, message, msg, rep, str, u32 } from "./schema.ts";

/** containerd.v1.types.Status */
export const TaskStatus = {
  UNKNOWN: 0,
  CREATED: 1,
  RUNNING: 2,
  STOPPED: 3,
  PAUSED: 4,
  PAUSING: 5,
} as const;

const idOnly = (name: string) => message(`containerd.task.v2.${name}`, { id: str(1) });
const idExec = (name: string) =>
  message(`containerd.task.v2.${name}`, { id: str(1), execId: str(2) });

export const CreateTaskRequest = message("containerd.task.v2.CreateTaskRequest", {
  id: str(1),
  bundle: str(2),
  rootfs: rep(msg(3, Mount)),
  terminal: bool(4),
  stdin: str(5),
  stdout: str(6),
  stderr: str(7),
  checkpoint: str(8),
  parentCheckpoint: str(9),
  options: msg(10, Any),
});
export type CreateTaskRequest = Infer<typeof CreateTaskRequest>;
export const CreateTaskResponse = message("containerd.task.v2.CreateTaskResponse", {
  pid: u32(1),
});

export const DeleteRequest = idExec("DeleteRequest");
export const DeleteResponse = message("containerd.task.v2.DeleteResponse", {
  pid: u32(1),
  exitStatus: u32(2),
  exitedAt: msg(3, Timestamp),
});

export const ExecProcessRequest = message("containerd.task.v2.ExecProcessRequest", {
  id: str(1),
  execId: str(2),
  terminal: bool(3),
  stdin: str(4),
  stdout: str(5),
  stderr: str(6),
  spec: msg(7, Any),
});
export type ExecProcessRequest = Infer<typeof ExecProcessRequest>;

export const ResizePtyRequest = message("containerd.task.v2.ResizePtyRequest", {
  id: str(1),
  execId: str(2),
  width: u32(3),
  height: u32(4),
});

export const StateRequest = idExec("StateRequest");
export const StateResponse = message("containerd.task.v2.StateResponse", {
  id: str(1),
  bundle: str(2),
  pid: u32(3),
  status: u32(4),
  stdin: str(5),
  stdout: str(6),
  stderr: str(7),
  terminal: bool(8),
  exitStatus: u32(9),
  exitedAt: msg(10, Timestamp),
  execId: str(11),
});

export const KillRequest = message("containerd.task.v2.KillRequest", {
  id: str(1),
  execId: str(2),
  signal: u32(3),
  all: bool(4),
});

export const CloseIORequest = message("containerd.task.v2.CloseIORequest", {
  id: str(1),
  execId: str(2),
  stdin: bool(3),
});

export const PidsRequest = idOnly("PidsRequest");
export const ProcessInfo = message("containerd.v1.types.ProcessInfo", {
  pid: u32(1),
  info: msg(2, Any),
});
export const PidsResponse = message("containerd.task.v2.PidsResponse", {
  processes: rep(msg(1, ProcessInfo)),
});

export const CheckpointTaskRequest = message("containerd.task.v2.CheckpointTaskRequest", {
  id: str(1),
  path: str(2),
  options: msg(3, Any),
});

export const UpdateTaskRequest = message("containerd.task.v2.UpdateTaskRequest", {
  id: str(1),
  resources: msg(2, Any),
  annotations: map(3),
});

export const StartRequest = idExec("StartRequest");
export const StartResponse = message("containerd.task.v2.StartResponse", { pid: u32(1) });

export const WaitRequest = idExec("WaitRequest");
export const WaitResponse = message("containerd.task.v2.WaitResponse", {
  exitStatus: u32(1),
  exitedAt: msg(2, Timestamp),
});

export const StatsRequest = idOnly("StatsRequest");
export const StatsResponse = message("containerd.task.v2.StatsResponse", { stats: msg(1, Any) });

export const ConnectRequest = idOnly("ConnectRequest");
export const ConnectResponse = message("containerd.task.v2.ConnectResponse", {
  shimPid: u32(1),
  taskPid: u32(2),
  version: str(3),
});

export const ShutdownRequest = message("containerd.task.v2.ShutdownRequest", {
  id: str(1),
  now: bool(2),
});
export const PauseRequest = idOnly("PauseRequest");
export const ResumeRequest = idOnly("ResumeRequest");
