// The D-Bus wire format of values (D-Bus specification, "Marshaling"),
// little-endian only: what runo sends, and what it reads back from
// systemd and dbus-daemon (they answer in the caller's byte order).
//
// Values: y n q i u → number; x t → bigint (number accepted when
// encoding); b → boolean; s o g → string; v → Variant; a → array, with
// a{..} as [key, value] pairs; (..) → array of the members.
//
// Permissions: none.

export type Value =
  | number
  | bigint
  | boolean
  | string
  | Variant
  | readonly Value[];

export interface Variant {
  readonly signature: string;
  readonly value: Value;
}

export function variant(signature: string, value: Value): Variant {
  return { signature, value };
}

export class MarshalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MarshalError";
  }
}

const ALIGN: Record<string, number> = {
  y: 1,
  b: 4,
  n: 2,
  q: 2,
  i: 4,
  u: 4,
  x: 8,
  t: 8,
  d: 8,
  s: 4,
  o: 4,
  g: 1,
  v: 1,
  a: 4,
  "(": 8,
  "{": 8,
  h: 4,
};

/** The end (exclusive) of the single complete type starting at `i` in `sig`. */
export function typeEnd(sig: string, i: number): number {
  const c = sig[i];
  if (c === undefined) throw new MarshalError(`Signature "${sig}" ends early`);
  if (c === "a") return typeEnd(sig, i + 1);
  if (c === "(" || c === "{") {
    const close = c === "(" ? ")" : "}";
    let j = i + 1;
    while (sig[j] !== close) {
      if (j >= sig.length) throw new MarshalError(`Signature "${sig}" has an unclosed "${c}"`);
      j = typeEnd(sig, j);
    }
    return j + 1;
  }
  if (!(c in ALIGN)) throw new MarshalError(`Signature "${sig}" has an unknown type "${c}"`);
  return i + 1;
}

/** The complete types of a signature: "sa{sv}" → ["s", "a{sv}"]. */
export function splitSignature(sig: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < sig.length;) {
    const end = typeEnd(sig, i);
    out.push(sig.slice(i, end));
    i = end;
  }
  return out;
}

function alignOf(type: string): number {
  return ALIGN[type[0]];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A growing little-endian buffer; offsets count from the message start. */
export class Writer {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  length = 0;

  #reserve(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.length + n));
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.#reserve(pad);
    this.#buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  u8(v: number): void {
    this.#reserve(1);
    this.#buf[this.length++] = v;
  }

  u32(v: number): void {
    this.align(4);
    this.#reserve(4);
    this.#view.setUint32(this.length, v, true);
    this.length += 4;
  }

  /** Writes a u32 already reserved at `at` (an array's length, known at its end). */
  patchU32(at: number, v: number): void {
    this.#view.setUint32(at, v, true);
  }

  fixed(type: string, v: Value): void {
    const size = ALIGN[type];
    this.align(size);
    this.#reserve(size);
    const at = this.length;
    switch (type) {
      case "y":
        this.#view.setUint8(at, Number(v));
        break;
      case "n":
        this.#view.setInt16(at, Number(v), true);
        break;
      case "q":
        this.#view.setUint16(at, Number(v), true);
        break;
      case "i":
        this.#view.setInt32(at, Number(v), true);
        break;
      case "u":
      case "h":
        this.#view.setUint32(at, Number(v), true);
        break;
      case "b":
        this.#view.setUint32(at, v ? 1 : 0, true);
        break;
      case "x":
        this.#view.setBigInt64(at, BigInt(v as number | bigint), true);
        break;
      case "t":
        this.#view.setBigUint64(at, BigInt(v as number | bigint), true);
        break;
      case "d":
        this.#view.setFloat64(at, Number(v), true);
        break;
    }
    this.length += size;
  }

  bytes(b: Uint8Array): void {
    this.#reserve(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
  }

  done(): Uint8Array<ArrayBuffer> {
    return this.#buf.slice(0, this.length);
  }
}

/** Appends `value` of the single complete type `type`. */
export function writeValue(w: Writer, type: string, value: Value): void {
  const c = type[0];
  switch (c) {
    case "s":
    case "o": {
      if (typeof value !== "string") throw typeMismatch(type, value);
      const b = encoder.encode(value);
      w.u32(b.length);
      w.bytes(b);
      w.u8(0);
      return;
    }
    case "g": {
      if (typeof value !== "string") throw typeMismatch(type, value);
      const b = encoder.encode(value);
      w.u8(b.length);
      w.bytes(b);
      w.u8(0);
      return;
    }
    case "v": {
      const v = value as Variant;
      if (typeof v !== "object" || v === null || !("signature" in v)) {
        throw typeMismatch(type, value);
      }
      writeValue(w, "g", v.signature);
      writeValue(w, v.signature, v.value);
      return;
    }
    case "a": {
      if (!Array.isArray(value)) throw typeMismatch(type, value);
      const elem = type.slice(1);
      w.u32(0);
      const lengthAt = w.length - 4;
      w.align(alignOf(elem));
      const start = w.length;
      for (const item of value) writeValue(w, elem, item);
      w.patchU32(lengthAt, w.length - start);
      return;
    }
    case "(":
    case "{": {
      if (!Array.isArray(value)) throw typeMismatch(type, value);
      w.align(8);
      const members = splitSignature(type.slice(1, -1));
      if (members.length !== value.length) throw typeMismatch(type, value);
      members.forEach((m, i) => writeValue(w, m, value[i]));
      return;
    }
    default:
      if (!(c in ALIGN)) throw new MarshalError(`Cannot marshal type "${type}"`);
      if (c === "b" ? typeof value !== "boolean" : !isNumeric(value)) {
        throw typeMismatch(type, value);
      }
      w.fixed(c, value);
  }
}

function isNumeric(v: Value): boolean {
  return typeof v === "number" || typeof v === "bigint";
}

function typeMismatch(type: string, value: Value): MarshalError {
  const shown = typeof value === "bigint" ? `${value}n` : JSON.stringify(value);
  return new MarshalError(`Cannot marshal ${shown?.slice(0, 60)} as D-Bus type "${type}"`);
}

/** Reads values from a message; offsets count from the message start. */
export class Reader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  pos: number;

  constructor(buf: Uint8Array, pos = 0) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
  }

  align(n: number): void {
    this.pos += (n - (this.pos % n)) % n;
  }

  #need(n: number): void {
    if (this.pos + n > this.#buf.length) {
      throw new MarshalError(`D-Bus message truncated at byte ${this.pos}`);
    }
  }

  u8(): number {
    this.#need(1);
    return this.#buf[this.pos++];
  }

  u32(): number {
    this.align(4);
    this.#need(4);
    const v = this.#view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  fixed(type: string): Value {
    const size = ALIGN[type];
    this.align(size);
    this.#need(size);
    const at = this.pos;
    this.pos += size;
    switch (type) {
      case "y":
        return this.#view.getUint8(at);
      case "n":
        return this.#view.getInt16(at, true);
      case "q":
        return this.#view.getUint16(at, true);
      case "i":
        return this.#view.getInt32(at, true);
      case "b":
        return this.#view.getUint32(at, true) !== 0;
      case "x":
        return this.#view.getBigInt64(at, true);
      case "t":
        return this.#view.getBigUint64(at, true);
      case "d":
        return this.#view.getFloat64(at, true);
      default: // u, h
        return this.#view.getUint32(at, true);
    }
  }

  string(len: number): string {
    this.#need(len + 1);
    const s = decoder.decode(this.#buf.subarray(this.pos, this.pos + len));
    this.pos += len + 1;
    return s;
  }
}

/** Reads one value of the single complete type `type`. */
export function readValue(r: Reader, type: string): Value {
  const c = type[0];
  switch (c) {
    case "s":
    case "o":
      return r.string(r.u32());
    case "g":
      return r.string(r.u8());
    case "v": {
      const signature = r.string(r.u8());
      if (typeEnd(signature, 0) !== signature.length) {
        throw new MarshalError(`Variant signature "${signature}" is not one complete type`);
      }
      return { signature, value: readValue(r, signature) };
    }
    case "a": {
      const len = r.u32();
      const elem = type.slice(1);
      r.align(alignOf(elem));
      const end = r.pos + len;
      const out: Value[] = [];
      while (r.pos < end) out.push(readValue(r, elem));
      if (r.pos !== end) throw new MarshalError(`D-Bus array of "${elem}" overruns its length`);
      return out;
    }
    case "(":
    case "{":
      r.align(8);
      return splitSignature(type.slice(1, -1)).map((m) => readValue(r, m));
    default:
      if (!(c in ALIGN)) throw new MarshalError(`Cannot unmarshal type "${type}"`);
      return r.fixed(c);
  }
}

/** A body: the values of `signature` in order. Permissions: none. */
export function encodeBody(signature: string, values: readonly Value[], w = new Writer()): Writer {
  const types = splitSignature(signature);
  if (types.length !== values.length) {
    throw new MarshalError(
      `Signature "${signature}" has ${types.length} values, ${values.length} given`,
    );
  }
  types.forEach((t, i) => writeValue(w, t, values[i]));
  return w;
}

export function decodeBody(signature: string, r: Reader): Value[] {
  return splitSignature(signature).map((t) => readValue(r, t));
}
