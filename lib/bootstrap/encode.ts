// Bootstrap → the netlink-style bytes stage 0 reads (format in ids.ts): a
// 16-byte nlmsghdr, then attributes {u16 len, u16 type, payload, pad to 4}.
// `len` counts header and payload, not the padding, as netlink's nla_len
// does; nlmsg_len counts the whole message. Strings end in NUL, integers
// are little endian, an OP attribute nests its FIELD attributes with CODE
// first, then the fields OPS (ids.ts) gives the op in Field order; absent
// optional fields are left out. Everything the C decoder would reject
// (oversized attribute or message, a NUL inside a string, an integer out of
// range, a missing required field, a field the op does not take) is
// refused here with the operation and field named.
//
// This runs on every create and exec, mostly as cold (interpreted) code, so
// it writes into one growing buffer, walks per-op layouts (flat arrays
// built once, at each op's first use), allocates nothing per field (no closures, no BigInt
// for number fields, no destructuring loops) and builds
// its error context only when something fails: the writer keeps the name
// of the field being written, and a refusal is turned into the message at
// the top.
//
// Permissions: none.

import {
  Attr,
  Field,
  type FieldKey,
  FIELDS,
  INIT_MSG,
  MAX_BOOTSTRAP,
  type Need,
  OPS,
  type Wire,
} from "./ids.ts";
import type { Bootstrap, PlanOp } from "./plan.ts";

const NLMSG_HDRLEN = 16;
const NLA_HDRLEN = 4;
const NLA_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;
const TWO_32 = 0x100000000;

const utf8 = new TextEncoder();

/** A refusal inside the writer; encodeBootstrap names what was written. */
class Refused extends Error {}

function refuse(reason: string): never {
  throw new Refused(reason);
}

class Writer {
  buf = new Uint8Array(8192);
  view = new DataView(this.buf.buffer);
  off = 0;
  /** The field being written, for error messages ("" for the whole operation). */
  field = "";
  /** Its index in a list field (ARG, ENV, IDS), or -1. */
  index = -1;

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
  end(start: number): void {
    const len = this.off - start;
    if (len > NLA_MAX) refuse(`attribute is ${len} bytes, the limit is ${NLA_MAX}`);
    this.view.setUint16(start, len, true);
    const padded = (this.off + 3) & ~3;
    this.reserve(padded - this.off);
    this.buf.fill(0, this.off, padded);
    this.off = padded;
  }

  u32(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > U32_MAX) refuse(`${n} is not a u32`);
    this.reserve(4);
    this.view.setUint32(this.off, n, true);
    this.off += 4;
  }

  i32(n: number): void {
    if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) refuse(`${n} is not an i32`);
    this.reserve(4);
    this.view.setInt32(this.off, n, true);
    this.off += 4;
  }

  u64(n: number | bigint): void {
    this.reserve(8);
    if (typeof n === "number") {
      if (!Number.isSafeInteger(n) || n < 0) refuse(`${n} is not a u64`);
      this.view.setUint32(this.off, n % TWO_32, true);
      this.view.setUint32(this.off + 4, Math.floor(n / TWO_32), true);
    } else {
      if (n < 0n || n > U64_MAX) refuse(`${n} is not a u64`);
      this.view.setBigUint64(this.off, n, true);
    }
    this.off += 8;
  }

  cstring(s: string): void {
    if (s.includes("\0")) refuse("it contains a NUL byte");
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

  attrU32(type: number, field: string, n: number): void {
    this.field = field;
    const a = this.begin(type);
    this.u32(n);
    this.end(a);
  }

  attrU64(type: number, field: string, n: number | bigint): void {
    this.field = field;
    const a = this.begin(type);
    this.u64(n);
    this.end(a);
  }

  attrString(type: number, field: string, s: string): void {
    this.field = field;
    const a = this.begin(type);
    this.cstring(s);
    this.end(a);
  }

  /** One attribute per string, its index kept for error messages. */
  attrStrings(type: number, field: string, list: readonly string[]): void {
    for (let i = 0; i < list.length; i++) {
      this.index = i;
      this.attrString(type, field, list[i]);
    }
    this.index = -1;
  }
}

const WIRE_KINDS: readonly Wire[] = ["str", "u32", "i32", "u64", "big", "u32s", "bytes", "strs"];

/** One operation's fields in Field order, as flat arrays for the hot loop. */
interface Layout {
  readonly code: number;
  readonly keys: readonly string[];
  readonly ids: readonly number[];
  /** Index into WIRE_KINDS. */
  readonly kinds: readonly number[];
  readonly names: readonly string[];
  readonly required: readonly boolean[];
}

/** Field id → its name, for error messages; built at the first layout. */
let fieldNames: Map<number, string> | undefined;

function layoutOf(code: number, fields: Readonly<Record<string, Need>>): Layout {
  const names = fieldNames ??= new Map(
    Object.entries(Field).map(([name, id]) => [id as number, name]),
  );
  const keys = (Object.keys(fields) as FieldKey[]).sort((a, b) => FIELDS[a].id - FIELDS[b].id);
  return {
    code,
    keys,
    ids: keys.map((k) => FIELDS[k].id),
    kinds: keys.map((k) => WIRE_KINDS.indexOf(FIELDS[k].wire)),
    names: keys.map((k) => names.get(FIELDS[k].id)!),
    // An empty list sends nothing, so a list is never missing.
    required: keys.map((k) => fields[k] === "req"),
  };
}

// Built on an op's first use, not at load: a plan uses ~20 of the ~100 ops,
// and building all of them cold took 2-5 ms of every create and exec.
const LAYOUTS = new Map<string, Layout>();

function layoutFor(name: string): Layout | undefined {
  let layout = LAYOUTS.get(name);
  if (layout === undefined && Object.hasOwn(OPS, name)) {
    const op = OPS[name as keyof typeof OPS];
    layout = layoutOf(op.code, op.fields);
    LAYOUTS.set(name, layout);
  }
  return layout;
}

/** One field's attribute(s) by its wire kind (index into WIRE_KINDS). */
function writeField(w: Writer, id: number, kind: number, v: unknown): void {
  switch (kind) {
    case 0:
      return w.attrString(id, w.field, v as string);
    case 1:
      return w.attrU32(id, w.field, v as number);
    case 2: {
      const a = w.begin(id);
      w.i32(v as number);
      return w.end(a);
    }
    case 3:
      if (typeof v !== "number") refuse(`${typeof v} is not a number`);
      return w.attrU64(id, w.field, v);
    case 4:
      if (typeof v !== "bigint") refuse(`${typeof v} is not a bigint`);
      return w.attrU64(id, w.field, v);
    case 5: {
      const ids = v as readonly number[];
      const a = w.begin(id);
      for (let i = 0; i < ids.length; i++) {
        w.index = i;
        w.u32(ids[i]);
      }
      w.index = -1;
      return w.end(a);
    }
    case 6: {
      const a = w.begin(id);
      w.bytes(v as Uint8Array);
      return w.end(a);
    }
    default:
      return w.attrStrings(id, w.field, v as readonly string[]);
  }
}

/** The FIELD attributes of one operation, CODE first, then in Field order. */
function writeOp(w: Writer, op: PlanOp, layout: Layout): void {
  w.attrU32(Field.CODE, "CODE", layout.code);
  const rec = op as unknown as Readonly<Record<string, unknown>>;
  const { keys, required } = layout;
  for (let i = 0; i < keys.length; i++) {
    const v = rec[keys[i]];
    w.field = layout.names[i];
    if (v === undefined) {
      if (required[i]) refuse("the operation needs it");
      continue;
    }
    writeField(w, layout.ids[i], layout.kinds[i], v);
  }
  w.field = "";
  // The types rule out other keys; a cast that sneaks one in is refused,
  // not dropped.
  for (const key in rec) {
    if (key !== "op" && key !== "step" && !keys.includes(key) && rec[key] !== undefined) {
      refuse(`it has no field "${key}"`);
    }
  }
}

/** The top-level attributes before the plan, in Attr order; fields are Bootstrap's names. */
function writeHeader(w: Writer, b: Bootstrap): void {
  w.attrU32(Attr.CLONE_FLAGS, "cloneFlags", b.cloneFlags);
  w.field = "nsPaths";
  for (let i = 0; i < b.nsPaths.length; i++) {
    w.index = i;
    const a = w.begin(Attr.NS_PATH);
    w.u32(b.nsPaths[i].flag);
    w.cstring(b.nsPaths[i].path);
    w.end(a);
  }
  w.index = -1;
  if (b.uidMap !== undefined) w.attrString(Attr.UID_MAP, "uidMap", b.uidMap);
  if (b.gidMap !== undefined) w.attrString(Attr.GID_MAP, "gidMap", b.gidMap);
  if (b.setgroupsDeny !== undefined) {
    w.field = "setgroupsDeny";
    const a = w.begin(Attr.SETGROUPS_DENY);
    w.bytes(Uint8Array.of(b.setgroupsDeny ? 1 : 0));
    w.end(a);
  }
  if (b.oomScoreAdj !== undefined) {
    w.field = "oomScoreAdj";
    if (!Number.isInteger(b.oomScoreAdj)) refuse(`${b.oomScoreAdj} is not an integer`);
    w.attrString(Attr.OOM_SCORE_ADJ, "oomScoreAdj", String(b.oomScoreAdj));
  }
  w.attrU32(Attr.LOG_LEVEL, "logLevel", b.logLevel);
  if (b.uidmapPath !== undefined) w.attrString(Attr.UIDMAP_PATH, "uidmapPath", b.uidmapPath);
  if (b.gidmapPath !== undefined) w.attrString(Attr.GIDMAP_PATH, "gidmapPath", b.gidmapPath);
  if (b.timensOffsets !== undefined) {
    w.attrString(Attr.TIMENS_OFFSETS, "timensOffsets", b.timensOffsets);
  }
  if (b.joinPidfd !== undefined) {
    w.field = "joinPidfd";
    const a = w.begin(Attr.JOIN_PIDFD);
    w.i32(b.joinPidfd.fd);
    w.u32(b.joinPidfd.flags);
    w.end(a);
  }
}

/** "FIELD" or "FIELD[i]" of the writer's current field. */
function fieldName(w: Writer): string {
  return w.index >= 0 ? `${w.field}[${w.index}]` : w.field;
}

/**
 * Encodes the bootstrap message. Throws a RangeError naming the attribute
 * (and for plan operations their index, code and step) if any attribute
 * exceeds 65535 bytes or the message exceeds MAX_BOOTSTRAP.
 */
export function encodeBootstrap(b: Bootstrap): Uint8Array {
  const w = new Writer();
  w.off = NLMSG_HDRLEN;
  try {
    writeHeader(w, b);
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    throw new RangeError(`Cannot encode ${fieldName(w)}: ${err.message}`);
  }
  const plan = b.plan;
  for (let i = 0; i < plan.length; i++) {
    const op = plan[i];
    try {
      const layout = layoutFor(op.op);
      if (layout === undefined) refuse("unknown op");
      const a = w.begin(Attr.OP);
      writeOp(w, op, layout);
      w.end(a);
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      const field = w.field === "" ? "" : ` field ${fieldName(w)}`;
      throw new RangeError(
        `Cannot encode operation ${i} (${op.op}, step "${op.step}")${field}: ${err.message}`,
      );
    }
  }
  const len = w.off;
  if (len > MAX_BOOTSTRAP) {
    throw new RangeError(
      `Cannot encode the bootstrap message: it is ${len} bytes, the limit is ${MAX_BOOTSTRAP}`,
    );
  }
  w.view.setUint32(0, len, true);
  w.view.setUint16(4, INIT_MSG, true);
  w.buf.fill(0, 6, NLMSG_HDRLEN); // flags, seq and pid stay 0
  return w.buf.slice(0, len);
}
