// ttrpc's framing (containerd/ttrpc PROTOCOL.md): every message is a
// 10-byte header (data length u32 BE, stream id u32 BE, type u8, flags u8)
// and its data, at most 4 MiB. Requests and responses are protobuf
// (ttrpc.Request, ttrpc.Response); a unary call is one request and one
// response on an odd stream id the client picks.
//
// Permissions: none.

export const HEADER_LENGTH = 10;
export const MAX_DATA = 4 << 20;

export const MessageType = { REQUEST: 1, RESPONSE: 2, DATA: 3 } as const;

export interface Frame {
  readonly streamId: number;
  readonly type: number;
  readonly flags: number;
  readonly data: Uint8Array;
}

/** The bytes of one frame. */
export function encodeFrame(
  streamId: number,
  type: number,
  data: Uint8Array,
  flags = 0,
): Uint8Array<ArrayBuffer> {
  if (data.length > MAX_DATA) {
    throw new RangeError(`ttrpc message of ${data.length} bytes exceeds ${MAX_DATA}`);
  }
  const out = new Uint8Array(HEADER_LENGTH + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  view.setUint32(4, streamId);
  out[8] = type;
  out[9] = flags;
  out.set(data, HEADER_LENGTH);
  return out;
}

/** A frame that is too large: its data is skipped, the stream is told so. */
export class OversizedFrame {
  constructor(readonly streamId: number, readonly length: number) {}
}

/**
 * Splits a byte stream into frames. push() takes what a read returned
 * and yields every frame that is complete; an oversized frame's data is
 * skipped (ttrpc answers it with RESOURCE_EXHAUSTED) and reported once.
 */
export class FrameReader {
  #buf: Uint8Array = new Uint8Array(0);
  #skip = 0;

  *push(chunk: Uint8Array): Generator<Frame | OversizedFrame> {
    if (this.#skip > 0) {
      const n = Math.min(this.#skip, chunk.length);
      this.#skip -= n;
      chunk = chunk.subarray(n);
    }
    this.#buf = this.#buf.length ? concat(this.#buf, chunk) : chunk.slice();
    while (this.#buf.length >= HEADER_LENGTH) {
      const view = new DataView(this.#buf.buffer, this.#buf.byteOffset, HEADER_LENGTH);
      const length = view.getUint32(0);
      const streamId = view.getUint32(4);
      if (length > MAX_DATA) {
        const have = this.#buf.length - HEADER_LENGTH;
        this.#skip = Math.max(0, length - have);
        this.#buf = this.#buf.subarray(Math.min(this.#buf.length, HEADER_LENGTH + length));
        yield new OversizedFrame(streamId, length);
        continue;
      }
      if (this.#buf.length < HEADER_LENGTH + length) return;
      const data = this.#buf.slice(HEADER_LENGTH, HEADER_LENGTH + length);
      yield { streamId, type: this.#buf[8], flags: this.#buf[9], data };
      this.#buf = this.#buf.subarray(HEADER_LENGTH + length);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
