// The well-known and containerd base messages the shim speaks: Any,
// Timestamp, Empty, google.rpc.Status, containerd.types.Mount, and
// ttrpc's own Request and Response (containerd/ttrpc request.proto).
//
// Permissions: none.

import { bytes, i32, i64, type Infer, message, msg, rep, str } from "./schema.ts";

export const Any = message("google.protobuf.Any", { typeUrl: str(1), value: bytes(2) });
export type Any = Infer<typeof Any>;

export const Timestamp = message("google.protobuf.Timestamp", { seconds: i64(1), nanos: i32(2) });
export type Timestamp = Infer<typeof Timestamp>;

export const Empty = message("google.protobuf.Empty", {});

/** A Timestamp of `ms` milliseconds since the epoch (Date.now()). */
export function timestampOf(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** google.rpc.Status: a gRPC code, its message (details unused). */
export const Status = message("google.rpc.Status", {
  code: i32(1),
  message: str(2),
  details: rep(msg(3, Any)),
});

export const Mount = message("containerd.types.Mount", {
  type: str(1),
  source: str(2),
  target: str(3),
  options: rep(str(4)),
});
export type Mount = Infer<typeof Mount>;

export const KeyValue = message("ttrpc.KeyValue", { key: str(1), value: str(2) });

export const TtrpcRequest = message("ttrpc.Request", {
  service: str(1),
  method: str(2),
  payload: bytes(3),
  timeoutNano: i64(4),
  metadata: rep(msg(5, KeyValue)),
});

export const TtrpcResponse = message("ttrpc.Response", {
  status: msg(1, Status),
  payload: bytes(2),
});
