// The task events the shim publishes (containerd api/events/task.proto)
// and their envelope (api/services/ttrpc/events/v1/events.proto). Each
// event travels as an Any whose type URL is its full name, as
// containerd's typeurl registers gogo messages.
//
// Permissions: none.

import { Any, Mount, Timestamp } from "./types.ts";
import { bool, message, msg, rep, str, u32 } from "./schema.ts";

const ev = "containerd.events.";

export const TaskIO = message(`${ev}TaskIO`, {
  stdin: str(1),
  stdout: str(2),
  stderr: str(3),
  terminal: bool(4),
});

export const TaskCreate = message(`${ev}TaskCreate`, {
  containerId: str(1),
  bundle: str(2),
  rootfs: rep(msg(3, Mount)),
  io: msg(4, TaskIO),
  checkpoint: str(5),
  pid: u32(6),
});
export const TaskStart = message(`${ev}TaskStart`, { containerId: str(1), pid: u32(2) });
export const TaskDelete = message(`${ev}TaskDelete`, {
  containerId: str(1),
  pid: u32(2),
  exitStatus: u32(3),
  exitedAt: msg(4, Timestamp),
  id: str(5),
});
export const TaskExit = message(`${ev}TaskExit`, {
  containerId: str(1),
  id: str(2),
  pid: u32(3),
  exitStatus: u32(4),
  exitedAt: msg(5, Timestamp),
});
export const TaskOOM = message(`${ev}TaskOOM`, { containerId: str(1) });
export const TaskExecAdded = message(`${ev}TaskExecAdded`, { containerId: str(1), execId: str(2) });
export const TaskExecStarted = message(`${ev}TaskExecStarted`, {
  containerId: str(1),
  execId: str(2),
  pid: u32(3),
});
export const TaskPaused = message(`${ev}TaskPaused`, { containerId: str(1) });
export const TaskResumed = message(`${ev}TaskResumed`, { containerId: str(1) });

export const Envelope = message("containerd.services.events.ttrpc.v1.Envelope", {
  timestamp: msg(1, Timestamp),
  namespace: str(2),
  topic: str(3),
  event: msg(4, Any),
});
export const ForwardRequest = message("containerd.services.events.ttrpc.v1.ForwardRequest", {
  envelope: msg(1, Envelope),
});
