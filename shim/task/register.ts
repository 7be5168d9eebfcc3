// The Task service's methods on a ttrpc server: each decodes its request,
// calls TaskService, encodes its response. Served under containerd 1.6's
// name (containerd.task.v2.Task) and containerd 2's task.v3, whose
// messages are the same.
//
// Permissions: none.

import type { MessageType } from "../proto/schema.ts";
import * as T from "../proto/task.ts";
import { Empty } from "../proto/types.ts";
import type { TtrpcServer } from "../ttrpc/server.ts";
import type { TaskService } from "./service.ts";

export const TASK_SERVICES = ["containerd.task.v2.Task", "containerd.task.v3.Task"] as const;

// deno-lint-ignore no-explicit-any
type Method = [string, MessageType<any>, MessageType<any>, (s: TaskService, r: any) => unknown];

const METHODS: readonly Method[] = [
  ["State", T.StateRequest, T.StateResponse, (s, r) => s.state(r)],
  ["Create", T.CreateTaskRequest, T.CreateTaskResponse, (s, r) => s.create(r)],
  ["Start", T.StartRequest, T.StartResponse, (s, r) => s.start(r)],
  ["Delete", T.DeleteRequest, T.DeleteResponse, (s, r) => s.delete(r)],
  ["Pids", T.PidsRequest, T.PidsResponse, (s, r) => s.pids(r)],
  ["Pause", T.PauseRequest, Empty, (s, r) => s.pause(r)],
  ["Resume", T.ResumeRequest, Empty, (s, r) => s.resume(r)],
  ["Checkpoint", T.CheckpointTaskRequest, Empty, (s, r) => s.checkpoint(r)],
  ["Kill", T.KillRequest, Empty, (s, r) => s.kill(r)],
  ["Exec", T.ExecProcessRequest, Empty, (s, r) => s.exec(r)],
  ["ResizePty", T.ResizePtyRequest, Empty, (s, r) => s.resizePty(r)],
  ["CloseIO", T.CloseIORequest, Empty, (s, r) => s.closeIO(r)],
  ["Update", T.UpdateTaskRequest, Empty, (s, r) => s.update(r)],
  ["Wait", T.WaitRequest, T.WaitResponse, (s, r) => s.wait(r)],
  ["Stats", T.StatsRequest, T.StatsResponse, (s, r) => s.stats(r)],
  ["Connect", T.ConnectRequest, T.ConnectResponse, (s, r) => s.connect(r)],
  ["Shutdown", T.ShutdownRequest, Empty, (s, r) => s.shutdown(r)],
];

/** Registers every Task method of `service` on `server`; `trace` hears each call's time. */
export function registerTaskService(
  server: TtrpcServer,
  service: TaskService,
  trace?: (msg: string) => void,
): void {
  for (const name of TASK_SERVICES) {
    for (const [method, req, res, call] of METHODS) {
      server.register(name, method, async (payload) => {
        const t0 = performance.now();
        const r = req.decode(payload);
        try {
          return res.encode(await call(service, r) ?? {});
        } finally {
          trace?.(
            `${method} ${r.id ?? ""} ${r.execId ?? ""}: ${(performance.now() - t0).toFixed(1)} ms`,
          );
        }
      });
    }
  }
}
