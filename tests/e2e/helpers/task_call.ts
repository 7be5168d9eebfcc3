// Calls one method of a shim's task service and prints the gRPC code of
// the answer (0 for success): `task_call.ts SOCKET NAMESPACE METHOD JSON`,
// JSON the request's fields. Run with --allow-net=unix:SOCKET and read and
// write of SOCKET only (the e2e runner has no --allow-net).
//
// Permissions: --allow-net, --allow-read, --allow-write (unix:<socket>).

import { TtrpcClient } from "../../../shim/ttrpc/client.ts";
import * as T from "../../../shim/proto/task.ts";
import { ShimError } from "../../../shim/errors.ts";

const [socket, namespace, method, json] = Deno.args;
const types: Record<string, { encode(v: unknown): Uint8Array }> = {
  State: T.StateRequest,
  Create: T.CreateTaskRequest,
  Delete: T.DeleteRequest,
  Kill: T.KillRequest,
  Start: T.StartRequest,
};
const client = new TtrpcClient(socket, { "containerd-namespace-ttrpc": namespace });
try {
  await client.call("containerd.task.v2.Task", method, types[method].encode(JSON.parse(json)));
  console.log(0);
} catch (err) {
  console.log(err instanceof ShimError ? `${err.code} ${err.message}` : `error ${err}`);
} finally {
  client.close();
}
