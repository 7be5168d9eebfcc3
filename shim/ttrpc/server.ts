// A ttrpc server over a unix socket: each connection is read as frames,
// each request is handled on its own (Wait blocks for as long as the
// process runs while other calls go on), and responses are written one at
// a time per connection. Handlers take and return protobuf bytes;
// a thrown error becomes the response's google.rpc.Status.
//
// Permissions: --allow-read, --allow-write and --allow-net (unix:<path>)
// for the socket.

import { encodeFrame, FrameReader, MessageType, OversizedFrame } from "./framing.ts";
import { Code, statusOf } from "../errors.ts";
import { TtrpcRequest, TtrpcResponse } from "../proto/types.ts";

/** What a handler learns of its call beside the payload. */
export interface CallContext {
  /** ttrpc metadata (containerd sends its namespace as containerd-namespace-ttrpc). */
  readonly metadata: ReadonlyMap<string, string>;
}

export type Handler = (payload: Uint8Array, ctx: CallContext) => Promise<Uint8Array>;

export class TtrpcServer {
  readonly #handlers = new Map<string, Handler>();
  readonly #conns = new Set<Deno.Conn>();
  #listener: Deno.Listener | undefined;
  /** Called when a connection closes (containerd went away or reconnects). */
  onDisconnect: () => void = () => {};

  /** Serves `handler` as `service`/`method` ("containerd.task.v2.Task", "Create"). */
  register(service: string, method: string, handler: Handler): void {
    this.#handlers.set(`${service}/${method}`, handler);
  }

  /** Accepts connections on `listener` until close(). */
  async serve(listener: Deno.Listener): Promise<void> {
    this.#listener = listener;
    try {
      for await (const conn of listener) {
        this.#conns.add(conn);
        this.#serveConn(conn).finally(() => {
          this.#conns.delete(conn);
          this.onDisconnect();
        });
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.BadResource)) throw err;
    }
  }

  /** Stops accepting and closes every connection. */
  close(): void {
    try {
      this.#listener?.close();
    } catch { /* closed already */ }
    for (const c of this.#conns) {
      try {
        c.close();
      } catch { /* closed already */ }
    }
  }

  /** Connections open now. */
  get connections(): number {
    return this.#conns.size;
  }

  async #serveConn(conn: Deno.Conn): Promise<void> {
    const frames = new FrameReader();
    let writing = Promise.resolve();
    const send = (streamId: number, response: Uint8Array) => {
      const frame = encodeFrame(streamId, MessageType.RESPONSE, response);
      writing = writing.then(() => writeAll(conn, frame)).catch(() => {});
    };
    const buf = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return;
        for (const frame of frames.push(buf.subarray(0, n))) {
          if (frame instanceof OversizedFrame) {
            send(frame.streamId, errorResponse(Code.RESOURCE_EXHAUSTED, "message too large"));
          } else if (frame.type === MessageType.REQUEST) {
            this.#handle(frame.data).then((r) => send(frame.streamId, r));
          }
          // Data frames belong to streaming calls; the task service has none.
        }
      }
    } catch {
      // A reset connection ends like a closed one.
    } finally {
      await writing;
      try {
        conn.close();
      } catch { /* closed already */ }
    }
  }

  async #handle(data: Uint8Array): Promise<Uint8Array> {
    let request;
    try {
      request = TtrpcRequest.decode(data);
    } catch {
      return errorResponse(Code.INVALID_ARGUMENT, "cannot decode the ttrpc request");
    }
    const handler = this.#handlers.get(`${request.service}/${request.method}`);
    if (!handler) {
      return errorResponse(
        Code.UNIMPLEMENTED,
        `${request.service}/${request.method}: no such method on this shim`,
      );
    }
    const metadata = new Map(request.metadata.map((kv) => [kv.key, kv.value]));
    try {
      const payload = await handler(request.payload, { metadata });
      return TtrpcResponse.encode({ payload });
    } catch (err) {
      const { code, message } = statusOf(err);
      return errorResponse(code, message);
    }
  }
}

function errorResponse(code: number, message: string): Uint8Array {
  return TtrpcResponse.encode({ status: { code, message, details: [] } });
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length;) off += await conn.write(data.subarray(off));
}
