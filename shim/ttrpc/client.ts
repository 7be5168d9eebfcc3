// A ttrpc client for unary calls (the shim's events to containerd's
// Events/Forward): odd stream ids, one response per request, reconnecting
// once when the connection was lost.
//
// Permissions: --allow-read, --allow-write and --allow-net (unix:<path>).

import { encodeFrame, FrameReader, MessageType, OversizedFrame } from "./framing.ts";
import { TtrpcRequest, TtrpcResponse } from "../proto/types.ts";
import { ShimError } from "../errors.ts";

type Pending = { resolve: (r: Uint8Array) => void; reject: (e: unknown) => void };

export class TtrpcClient {
  #conn: Deno.Conn | undefined;
  #next = 1;
  #pending = new Map<number, Pending>();

  constructor(readonly path: string, readonly metadata: Readonly<Record<string, string>> = {}) {}

  /** Calls `service`/`method` with `payload`; resolves to the response payload. */
  async call(service: string, method: string, payload: Uint8Array): Promise<Uint8Array> {
    try {
      return await this.#call(service, method, payload);
    } catch (err) {
      if (err instanceof ShimError) throw err;
      this.close(); // a broken connection: one fresh attempt
      return await this.#call(service, method, payload);
    }
  }

  close(): void {
    try {
      this.#conn?.close();
    } catch { /* closed already */ }
    this.#conn = undefined;
  }

  async #call(service: string, method: string, payload: Uint8Array): Promise<Uint8Array> {
    const conn = this.#conn ??= await this.#connect();
    const streamId = this.#next;
    this.#next += 2;
    const request = TtrpcRequest.encode({
      service,
      method,
      payload,
      metadata: Object.entries(this.metadata).map(([key, value]) => ({ key, value })),
    });
    const done = new Promise<Uint8Array>((resolve, reject) => {
      this.#pending.set(streamId, { resolve, reject });
    });
    const frame = encodeFrame(streamId, MessageType.REQUEST, request);
    for (let off = 0; off < frame.length;) off += await conn.write(frame.subarray(off));
    return await done;
  }

  async #connect(): Promise<Deno.Conn> {
    const conn = await Deno.connect({ transport: "unix", path: this.path });
    this.#readLoop(conn);
    return conn;
  }

  async #readLoop(conn: Deno.Conn): Promise<void> {
    const frames = new FrameReader();
    const buf = new Uint8Array(16 * 1024);
    let failure: unknown = new Error(`ttrpc connection to ${this.path} closed`);
    try {
      for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
        for (const f of frames.push(buf.subarray(0, n))) {
          if (f instanceof OversizedFrame || f.type !== MessageType.RESPONSE) continue;
          const p = this.#pending.get(f.streamId);
          this.#pending.delete(f.streamId);
          const r = TtrpcResponse.decode(f.data);
          if (r.status && r.status.code !== 0) {
            p?.reject(new ShimError(r.status.code, r.status.message));
          } else p?.resolve(r.payload);
        }
      }
    } catch (err) {
      failure = err;
    }
    if (this.#conn === conn) this.#conn = undefined;
    for (const p of this.#pending.values()) p.reject(failure);
    this.#pending.clear();
  }
}
