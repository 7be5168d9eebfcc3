// Bootstrap → the netlink-style bytes stage 0 reads (format in ids.ts): a
// 16-byte nlmsghdr, then attributes {u16 len, u16 type, payload, pad to 4}.
// `len` counts header and payload, not the padding, as netlink's nla_len
// does; nlmsg_len counts the whole message. Strings end in NUL, integers
// are little endian, an OP attribute nests its FIELD attributes with CODE
// first, and absent optional fields are left out. Everything the C decoder
// would reject (oversized attribute or message, a NUL inside a string, an
// integer out of range) is refused here with the operation and field named.
//
// This runs on every create and exec, so it writes into one growing buffer
// and builds its error context only when something fails.
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

/** Names what is being encoded, for error messages only. */
type What = () => string;

function fail(what: What, reason: string): never {
  throw new RangeError(`Cannot encode ${what()}: ${reason}`);
}

class Writer {
  buf = new Uint8Array(8192);
  view = new DataView(this.buf.buffer);
  off = 0;

  reserve(n: number): void {
    if (this.off + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.off + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.off));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Starts an attribute; returns its offset for end(). */
  begin(type: number): number {
    this.reserve(NLA_HDRLEN);
    const start = this.off;
    this.view.setUint16(start + 2, type, true);
    this.off += NLA_HDRLEN;
    return start;
  }

  /** Writes the attribute's length and pads it to 4 bytes. */
  end(start: number, what: What): void {
    const len = this.off - start;
    if (len > NLA_MAX) fail(what, `attribute is ${len} bytes, the limit is ${NLA_MAX}`);
    this.view.setUint16(start, len, true);
    const padded = (this.off + 3) & ~3;
    this.reserve(padded - this.off);
    this.buf.fill(0, this.off, padded);
    this.off = padded;
  }

  u32(n: number, what: What): void {
    if (!Number.isInteger(n) || n < 0 || n > U32_MAX) fail(what, `${n} is not a u32`);
    this.reserve(4);
    this.view.setUint32(this.off, n, true);
    this.off += 4;
  }

  i32(n: number, what: What): void {
    if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
      fail(what, `${n} is not an i32`);
    }
    this.reserve(4);
    this.view.setInt32(this.off, n, true);
    this.off += 4;
  }

  u64(n: number | bigint, what: What): void {
    if (typeof n === "number" && (!Number.isSafeInteger(n) || n < 0)) {
      fail(what, `${n} is not a u64`);
    }
    const v = BigInt(n);
    if (v < 0n || v > U64_MAX) fail(what, `${v} is not a u64`);
    this.reserve(8);
    this.view.setBigUint64(this.off, v, true);
    this.off += 8;
  }

  cstring(s: string, what: What): void {
    if (s.includes("\0")) fail(what, "it contains a NUL byte");
    this.reserve(s.length * 3 + 1);
    // Plain ASCII byte by byte: TextEncoder.encodeInto costs ~15 µs a call
    // here, and a plan has hundreds of short strings.
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      this.buf[this.off + i] = c;
    }
    if (i === s.length) {
      this.off += i;
    } else {
      const enc = utf8.encode(s);
      this.buf.set(enc, this.off);
      this.off += enc.length;
    }
    this.buf[this.off++] = 0;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.off);
    this.off += b.length;
  }

  attrU32(type: number, n: number, what: What): void {
    const a = this.begin(type);
    this.u32(n, what);
    this.end(a, what);
  }

  attrString(type: number, s: string, what: What): void {
    const a = this.begin(type);
    this.cstring(s, what);
    this.end(a, what);
  }
}

const STRING_FIELDS = [
  ["source", Field.SOURCE, "SOURCE"],
  ["target", Field.TARGET, "TARGET"],
  ["fstype", Field.FSTYPE, "FSTYPE"],
  ["data", Field.DATA, "DATA"],
] as const;

/** The FIELD attributes of one operation, CODE first, then Field order. */
function writeOp(w: Writer, op: PlanOp, what: What): void {
  const f = (name: string): What => () => `${what()} field ${name}`;
  w.attrU32(Field.CODE, Op[op.op], f("CODE"));
  for (const [key, type, name] of STRING_FIELDS) {
    const v = op[key];
    if (v !== undefined) w.attrString(type, v, f(name));
  }
  const num = (type: number, name: string, write: () => void) => {
    const a = w.begin(type);
    write();
    w.end(a, f(name));
  };
  if (op.flags !== undefined) num(Field.FLAGS, "FLAGS", () => w.u64(op.flags!, f("FLAGS")));
  if (op.mode !== undefined) w.attrU32(Field.MODE, op.mode, f("MODE"));
  if (op.dev !== undefined) num(Field.DEV, "DEV", () => w.u64(op.dev!, f("DEV")));
  if (op.uid !== undefined) w.attrU32(Field.UID, op.uid, f("UID"));
  if (op.gid !== undefined) w.attrU32(Field.GID, op.gid, f("GID"));
  if (op.fd !== undefined) num(Field.FD, "FD", () => w.i32(op.fd!, f("FD")));
  op.args?.forEach((s, i) => w.attrString(Field.ARG, s, f(`ARG[${i}]`)));
  op.env?.forEach((s, i) => w.attrString(Field.ENV, s, f(`ENV[${i}]`)));
  if (op.ids !== undefined) {
    num(Field.IDS, "IDS", () => op.ids!.forEach((n, i) => w.u32(n, f(`IDS[${i}]`))));
  }
  if (op.num !== undefined) w.attrU32(Field.NUM, op.num, f("NUM"));
  if (op.value !== undefined) num(Field.VALUE, "VALUE", () => w.u64(op.value!, f("VALUE")));
  if (op.value2 !== undefined) num(Field.VALUE2, "VALUE2", () => w.u64(op.value2!, f("VALUE2")));
  if (op.bytes !== undefined) num(Field.BYTES, "BYTES", () => w.bytes(op.bytes!));
  if (op.opts !== undefined) w.attrU32(Field.OPTS, op.opts, f("OPTS"));
}

/** The top-level attributes before the plan, in Attr order. */
function writeHeader(w: Writer, b: Bootstrap): void {
  w.attrU32(Attr.CLONE_FLAGS, b.cloneFlags, () => "cloneFlags");
  b.nsPaths.forEach(({ flag, path }, i) => {
    const what = () => `nsPaths[${i}]`;
    const a = w.begin(Attr.NS_PATH);
    w.u32(flag, what);
    w.cstring(path, what);
    w.end(a, what);
  });
  const str = (type: number, name: string, s: string | undefined) => {
    if (s !== undefined) w.attrString(type, s, () => name);
  };
  str(Attr.UID_MAP, "uidMap", b.uidMap);
  str(Attr.GID_MAP, "gidMap", b.gidMap);
  if (b.setgroupsDeny !== undefined) {
    const a = w.begin(Attr.SETGROUPS_DENY);
    w.bytes(Uint8Array.of(b.setgroupsDeny ? 1 : 0));
    w.end(a, () => "setgroupsDeny");
  }
  if (b.oomScoreAdj !== undefined) {
    if (!Number.isInteger(b.oomScoreAdj)) {
      fail(() => "oomScoreAdj", `${b.oomScoreAdj} is not an integer`);
    }
    str(Attr.OOM_SCORE_ADJ, "oomScoreAdj", String(b.oomScoreAdj));
  }
  w.attrU32(Attr.LOG_LEVEL, b.logLevel, () => "logLevel");
  str(Attr.UIDMAP_PATH, "uidmapPath", b.uidmapPath);
  str(Attr.GIDMAP_PATH, "gidmapPath", b.gidmapPath);
  str(Attr.TIMENS_OFFSETS, "timensOffsets", b.timensOffsets);
}

/**
 * Encodes the bootstrap message. Throws a RangeError naming the attribute
 * (and for plan operations their index, code and step) if any attribute
 * exceeds 65535 bytes or the message exceeds MAX_BOOTSTRAP.
 */
export function encodeBootstrap(b: Bootstrap): Uint8Array {
  const w = new Writer();
  w.off = NLMSG_HDRLEN;
  writeHeader(w, b);
  b.plan.forEach((op, i) => {
    const what = () => `operation ${i} (${op.op}, step "${op.step}")`;
    if (!Object.hasOwn(Op, op.op)) fail(what, "unknown op");
    const a = w.begin(Attr.OP);
    writeOp(w, op, what);
    w.end(a, what);
  });
  const len = w.off;
  if (len > MAX_BOOTSTRAP) {
    fail(() => "the bootstrap message", `it is ${len} bytes, the limit is ${MAX_BOOTSTRAP}`);
  }
  w.view.setUint32(0, len, true);
  w.view.setUint16(4, INIT_MSG, true);
  w.buf.fill(0, 6, NLMSG_HDRLEN); // flags, seq and pid stay 0
  return w.buf.slice(0, len);
}
