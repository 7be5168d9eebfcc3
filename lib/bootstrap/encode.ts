// Bootstrap → the netlink-style bytes stage 0 reads (format in ids.ts): a
// 16-byte nlmsghdr, then attributes {u16 len, u16 type, payload, pad to 4}.
// `len` counts header and payload, not the padding, as netlink's nla_len
// does; nlmsg_len counts the whole message. Strings end in NUL, integers
// are little endian, an OP attribute nests its FIELD attributes with CODE
// first, and absent optional fields are left out. Everything the C decoder
// would reject (oversized attribute or message, a NUL inside a string, an
// integer out of range) is refused here with the operation and field named.
//
// Permissions: none.

import { Attr, Field, INIT_MSG, MAX_BOOTSTRAP, Op } from "./ids.ts";
import type { Bootstrap, PlanOp } from "./plan.ts";

const NLMSG_HDRLEN = 16;
const NLA_HDRLEN = 4;
const NLA_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;

const utf8 = new TextEncoder();

const pad4 = (n: number) => (n + 3) & ~3;

function cstring(s: string, what: string): Uint8Array {
  if (s.includes("\0")) throw new RangeError(`Cannot encode ${what}: it contains a NUL byte`);
  const enc = utf8.encode(s);
  const bytes = new Uint8Array(enc.length + 1);
  bytes.set(enc);
  return bytes;
}

function u32(n: number, what: string): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > U32_MAX) {
    throw new RangeError(`Cannot encode ${what}: ${n} is not a u32`);
  }
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function i32(n: number, what: string): Uint8Array {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
    throw new RangeError(`Cannot encode ${what}: ${n} is not an i32`);
  }
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return b;
}

function u64(n: number | bigint, what: string): Uint8Array {
  if (typeof n === "number" && (!Number.isSafeInteger(n) || n < 0)) {
    throw new RangeError(`Cannot encode ${what}: ${n} is not a u64`);
  }
  const v = BigInt(n);
  if (v < 0n || v > U64_MAX) throw new RangeError(`Cannot encode ${what}: ${v} is not a u64`);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
}

function u32s(ns: readonly number[], what: string): Uint8Array {
  const b = new Uint8Array(ns.length * 4);
  ns.forEach((n, i) => b.set(u32(n, `${what}[${i}]`), i * 4));
  return b;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** One attribute, padded to 4 bytes; throws if it exceeds nla_len's u16. */
function attr(type: number, payload: Uint8Array, what: string): Uint8Array {
  const len = NLA_HDRLEN + payload.length;
  if (len > NLA_MAX) {
    throw new RangeError(
      `Cannot encode ${what}: attribute is ${len} bytes, the limit is ${NLA_MAX}`,
    );
  }
  const out = new Uint8Array(pad4(len));
  const view = new DataView(out.buffer);
  view.setUint16(0, len, true);
  view.setUint16(2, type, true);
  out.set(payload, NLA_HDRLEN);
  return out;
}

/** The FIELD attributes of one operation, CODE first, then Field order. */
function opFields(op: PlanOp, what: string): Uint8Array[] {
  const f = (name: string) => `${what} field ${name}`;
  const out = [attr(Field.CODE, u32(Op[op.op], f("CODE")), f("CODE"))];
  const add = (type: number, name: string, bytes: Uint8Array) =>
    out.push(attr(type, bytes, f(name)));
  if (op.source !== undefined) add(Field.SOURCE, "SOURCE", cstring(op.source, f("SOURCE")));
  if (op.target !== undefined) add(Field.TARGET, "TARGET", cstring(op.target, f("TARGET")));
  if (op.fstype !== undefined) add(Field.FSTYPE, "FSTYPE", cstring(op.fstype, f("FSTYPE")));
  if (op.data !== undefined) add(Field.DATA, "DATA", cstring(op.data, f("DATA")));
  if (op.flags !== undefined) add(Field.FLAGS, "FLAGS", u64(op.flags, f("FLAGS")));
  if (op.mode !== undefined) add(Field.MODE, "MODE", u32(op.mode, f("MODE")));
  if (op.dev !== undefined) add(Field.DEV, "DEV", u64(op.dev, f("DEV")));
  if (op.uid !== undefined) add(Field.UID, "UID", u32(op.uid, f("UID")));
  if (op.gid !== undefined) add(Field.GID, "GID", u32(op.gid, f("GID")));
  if (op.fd !== undefined) add(Field.FD, "FD", i32(op.fd, f("FD")));
  op.args?.forEach((a, i) => add(Field.ARG, `ARG[${i}]`, cstring(a, f(`ARG[${i}]`))));
  op.env?.forEach((e, i) => add(Field.ENV, `ENV[${i}]`, cstring(e, f(`ENV[${i}]`))));
  if (op.ids !== undefined) add(Field.IDS, "IDS", u32s(op.ids, f("IDS")));
  if (op.num !== undefined) add(Field.NUM, "NUM", u32(op.num, f("NUM")));
  if (op.value !== undefined) add(Field.VALUE, "VALUE", u64(op.value, f("VALUE")));
  if (op.value2 !== undefined) add(Field.VALUE2, "VALUE2", u64(op.value2, f("VALUE2")));
  if (op.bytes !== undefined) add(Field.BYTES, "BYTES", op.bytes);
  if (op.opts !== undefined) add(Field.OPTS, "OPTS", u32(op.opts, f("OPTS")));
  return out;
}

/** The top-level attributes before the plan, in Attr order. */
function headerAttrs(b: Bootstrap): Uint8Array[] {
  const out = [attr(Attr.CLONE_FLAGS, u32(b.cloneFlags, "cloneFlags"), "cloneFlags")];
  b.nsPaths.forEach(({ flag, path }, i) => {
    const what = `nsPaths[${i}]`;
    out.push(attr(Attr.NS_PATH, concat([u32(flag, what), cstring(path, what)]), what));
  });
  const str = (type: number, name: string, s: string | undefined) => {
    if (s !== undefined) out.push(attr(type, cstring(s, name), name));
  };
  str(Attr.UID_MAP, "uidMap", b.uidMap);
  str(Attr.GID_MAP, "gidMap", b.gidMap);
  if (b.setgroupsDeny !== undefined) {
    out.push(attr(Attr.SETGROUPS_DENY, Uint8Array.of(b.setgroupsDeny ? 1 : 0), "setgroupsDeny"));
  }
  if (b.oomScoreAdj !== undefined) {
    if (!Number.isInteger(b.oomScoreAdj)) {
      throw new RangeError(`Cannot encode oomScoreAdj: ${b.oomScoreAdj} is not an integer`);
    }
    str(Attr.OOM_SCORE_ADJ, "oomScoreAdj", String(b.oomScoreAdj));
  }
  out.push(attr(Attr.LOG_LEVEL, u32(b.logLevel, "logLevel"), "logLevel"));
  str(Attr.UIDMAP_PATH, "uidmapPath", b.uidmapPath);
  str(Attr.GIDMAP_PATH, "gidmapPath", b.gidmapPath);
  str(Attr.TIMENS_OFFSETS, "timensOffsets", b.timensOffsets);
  return out;
}

/**
 * Encodes the bootstrap message. Throws a RangeError naming the attribute
 * (and for plan operations their index, code and step) if any attribute
 * exceeds 65535 bytes or the message exceeds MAX_BOOTSTRAP.
 */
export function encodeBootstrap(b: Bootstrap): Uint8Array {
  const attrs = headerAttrs(b);
  b.plan.forEach((op, i) => {
    const what = `operation ${i} (${op.op}, step "${op.step}")`;
    if (!Object.hasOwn(Op, op.op)) throw new RangeError(`Cannot encode ${what}: unknown op`);
    attrs.push(attr(Attr.OP, concat(opFields(op, what)), what));
  });
  const len = NLMSG_HDRLEN + attrs.reduce((sum, a) => sum + a.length, 0);
  if (len > MAX_BOOTSTRAP) {
    throw new RangeError(
      `Cannot encode the bootstrap message: it is ${len} bytes, the limit is ${MAX_BOOTSTRAP}`,
    );
  }
  const out = new Uint8Array(len);
  const view = new DataView(out.buffer);
  view.setUint32(0, len, true);
  view.setUint16(4, INIT_MSG, true);
  // flags, seq and pid stay 0.
  let off = NLMSG_HDRLEN;
  for (const a of attrs) {
    out.set(a, off);
    off += a.length;
  }
  return out;
}
