// D-Bus messages: the fixed header, the header fields a(yv), the body
// (D-Bus specification, "Message Format"), and how long a message on the
// stream is before all of it has arrived.
//
// Permissions: none.

import {
  decodeBody,
  encodeBody,
  MarshalError,
  Reader,
  readValue,
  type Value,
  variant,
  Writer,
  writeValue,
} from "./marshal.ts";

export const MessageType = {
  methodCall: 1,
  methodReturn: 2,
  error: 3,
  signal: 4,
} as const;

/** The caller does not want a reply (flag 0x1). */
export const NO_REPLY_EXPECTED = 0x1;

export interface Message {
  readonly type: number;
  readonly flags?: number;
  readonly serial: number;
  readonly path?: string;
  readonly interface?: string;
  readonly member?: string;
  readonly errorName?: string;
  readonly replySerial?: number;
  readonly destination?: string;
  readonly sender?: string;
  readonly signature?: string;
  readonly body?: readonly Value[];
}

// Header field codes and their types.
const FIELDS: readonly [keyof Message, number, string][] = [
  ["path", 1, "o"],
  ["interface", 2, "s"],
  ["member", 3, "s"],
  ["errorName", 4, "s"],
  ["replySerial", 5, "u"],
  ["destination", 6, "s"],
  ["sender", 7, "s"],
  ["signature", 8, "g"],
];

/** The bytes of `m`, little-endian ('l'). */
export function encodeMessage(m: Message): Uint8Array<ArrayBuffer> {
  const signature = m.signature ?? "";
  const body = encodeBody(signature, m.body ?? []).done();
  const w = new Writer();
  w.u8(0x6c); // 'l'
  w.u8(m.type);
  w.u8(m.flags ?? 0);
  w.u8(1); // protocol version
  w.u32(body.length);
  w.u32(m.serial);
  const fields: Value[] = [];
  for (const [key, code, type] of FIELDS) {
    const v = key === "signature" ? (signature === "" ? undefined : signature) : m[key];
    if (v !== undefined) fields.push([code, variant(type, v as Value)]);
  }
  writeValue(w, "a(yv)", fields);
  w.align(8);
  w.bytes(body);
  return w.done();
}

/**
 * The total length of the message at the start of `buf`, or 0 when fewer
 * than its 16 fixed bytes have arrived.
 */
export function messageLength(buf: Uint8Array): number {
  if (buf.length < 16) return 0;
  if (buf[0] !== 0x6c && buf[0] !== 0x42) {
    throw new MarshalError(`D-Bus message has a bad byte-order mark 0x${buf[0].toString(16)}`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, 16);
  const little = buf[0] === 0x6c;
  const bodyLen = view.getUint32(4, little);
  const fieldsLen = view.getUint32(12, little);
  const headerEnd = 16 + fieldsLen;
  return headerEnd + ((8 - (headerEnd % 8)) % 8) + bodyLen;
}

/** Parses one complete little-endian message. */
export function decodeMessage(buf: Uint8Array): Message {
  if (buf[0] !== 0x6c) {
    throw new MarshalError("D-Bus message is big-endian; only little-endian peers are supported");
  }
  const r = new Reader(buf, 1);
  const type = r.u8();
  const flags = r.u8();
  const version = r.u8();
  if (version !== 1) throw new MarshalError(`D-Bus protocol version ${version} is not 1`);
  const bodyLen = r.u32();
  const serial = r.u32();
  const out: Record<string, unknown> = { type, flags, serial };
  for (const field of readValue(r, "a(yv)") as [number, { value: Value }][]) {
    const known = FIELDS.find(([, code]) => code === field[0]);
    if (known) out[known[0]] = field[1].value;
  }
  r.align(8);
  const end = r.pos + bodyLen;
  if (end > buf.length) throw new MarshalError("D-Bus message body is truncated");
  const signature = (out.signature as string | undefined) ?? "";
  out.body = signature === "" ? [] : decodeBody(signature, r);
  if (r.pos !== end) throw new MarshalError(`D-Bus message body does not match "${signature}"`);
  return out as unknown as Message;
}
