// A small typed schema over @bufbuild/protobuf's wire format: each message
// is a table of fields (number and kind, as containerd's .proto files give
// them), and its TypeScript type is inferred from the table. Encoding
// follows proto3: default values are not written, repeated numbers are
// packed (and read packed or not), unknown fields are skipped.
//
//   const Mount = message("containerd.types.Mount", {
//     type: str(1), source: str(2), target: str(3), options: rep(str(4)),
//   });
//   Mount.decode(Mount.encode({ type: "bind" })).options // []
//
// Permissions: none.

import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

/** One field: how it is written, read, and what it is when absent. */
export interface Field<T> {
  readonly no: number;
  readonly empty: () => T;
  isEmpty(value: T): boolean;
  write(w: BinaryWriter, value: T): void;
  read(r: BinaryReader, wire: WireType, prev: T): T;
  /** A varint's value without its tag (packed repeated fields). */
  writeBare?(w: BinaryWriter, value: T): void;
}

type Values<F> = { -readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** A message type: its full protobuf name, fields, and codec. */
export interface MessageType<T> {
  readonly typeName: string;
  /** The message with every field at its default, overridden by `init`. */
  create(init?: Partial<T>): T;
  encode(value: Partial<T>): Uint8Array<ArrayBuffer>;
  decode(bytes: Uint8Array): T;
  /** @internal encode into an open writer (nested messages). */
  writeTo(w: BinaryWriter, value: Partial<T>): void;
}

/** The TypeScript type of a message type's values. */
export type Infer<M> = M extends MessageType<infer T> ? T : never;

function scalar<T>(
  no: number,
  wire: WireType,
  empty: T,
  put: (w: BinaryWriter, v: T) => void,
  get: (r: BinaryReader) => T,
): Field<T> {
  return {
    no,
    empty: () => empty,
    isEmpty: (v) => v === empty || (v instanceof Uint8Array && v.length === 0),
    write: (w, v) => put(w.tag(no, wire), v),
    read: (r) => get(r),
    writeBare: wire === WireType.Varint ? put : undefined,
  };
}

export const str = (no: number): Field<string> =>
  scalar(no, WireType.LengthDelimited, "", (w, v) => w.string(v), (r) => r.string());
export const bytes = (no: number): Field<Uint8Array> => ({
  ...scalar<Uint8Array>(
    no,
    WireType.LengthDelimited,
    new Uint8Array(),
    (w, v) => w.bytes(v),
    (r) => r.bytes(),
  ),
  empty: () => new Uint8Array(),
});
export const bool = (no: number): Field<boolean> =>
  scalar(no, WireType.Varint, false, (w, v) => w.bool(v), (r) => r.bool());
export const u32 = (no: number): Field<number> =>
  scalar(no, WireType.Varint, 0, (w, v) => w.uint32(v), (r) => r.uint32());
export const i32 = (no: number): Field<number> =>
  scalar(no, WireType.Varint, 0, (w, v) => w.int32(v), (r) => r.int32());
export const u64 = (no: number): Field<bigint> =>
  scalar(no, WireType.Varint, 0n, (w, v) => w.uint64(v), (r) => BigInt(r.uint64()));
export const i64 = (no: number): Field<bigint> =>
  scalar(no, WireType.Varint, 0n, (w, v) => w.int64(v), (r) => BigInt(r.int64()));

/** A nested message; absent is undefined (proto3 message fields have presence). */
export function msg<T>(no: number, type: MessageType<T>): Field<T | undefined> {
  return {
    no,
    empty: () => undefined,
    isEmpty: (v) => v === undefined,
    write: (w, v) => {
      w.tag(no, WireType.LengthDelimited).fork();
      type.writeTo(w, v!);
      w.join();
    },
    read: (r) => type.decode(r.bytes()),
  };
}

/** A repeated field of `item`; numbers are written packed. */
export function rep<T>(item: Field<T>): Field<Exclude<T, undefined>[]> {
  const bare = item.writeBare;
  return {
    no: item.no,
    empty: () => [],
    isEmpty: (v) => v.length === 0,
    write: (w, v) => {
      if (!bare) {
        for (const x of v) item.write(w, x);
        return;
      }
      // Packed: one length-delimited run of the bare values.
      w.tag(item.no, WireType.LengthDelimited).fork();
      for (const x of v) bare(w, x);
      w.join();
    },
    read: (r, wire, prev) => {
      if (bare && wire === WireType.LengthDelimited) {
        const end = r.uint32() + r.pos;
        const out = [...prev];
        while (r.pos < end) out.push(item.read(r, WireType.Varint, item.empty()));
        return out;
      }
      return [...prev, item.read(r, wire, item.empty())];
    },
  } as Field<T[]> as Field<Exclude<T, undefined>[]>;
}

const Entry = message("map.entry", { key: str(1), value: str(2) });

/** map<string, string> (as entries: key = 1, value = 2). */
export function map(no: number): Field<Record<string, string>> {
  const entries = rep(msg(no, Entry));
  return {
    no,
    empty: () => ({}),
    isEmpty: (v) => Object.keys(v).length === 0,
    write: (w, v) =>
      entries.write(w, Object.entries(v).map(([key, value]) => Entry.create({ key, value }))),
    read: (r, wire, prev) => {
      const [e] = entries.read(r, wire, []);
      return e ? { ...prev, [e.key]: e.value } : prev;
    },
  };
}

/** A message type from its field table. */
export function message<F extends Record<string, Field<unknown>>>(
  typeName: string,
  fields: F,
): MessageType<Values<F>> {
  type T = Values<F>;
  const names = Object.keys(fields) as (keyof F & string)[];
  const byNo = new Map(names.map((n) => [fields[n].no, n]));
  const create = (init: Partial<T> = {}): T => {
    const v = {} as Record<string, unknown>;
    for (const n of names) v[n] = init[n] ?? fields[n].empty();
    return v as T;
  };
  const writeTo = (w: BinaryWriter, value: Partial<T>) => {
    for (const n of names) {
      const v = value[n];
      if (v !== undefined && !fields[n].isEmpty(v)) fields[n].write(w, v);
    }
  };
  return {
    typeName,
    create,
    writeTo,
    encode: (value) => {
      const w = new BinaryWriter();
      writeTo(w, value);
      return w.finish() as Uint8Array<ArrayBuffer>;
    },
    decode: (bytes) => {
      const r = new BinaryReader(bytes);
      const v = create() as Record<string, unknown>;
      while (r.pos < r.len) {
        const [no, wire] = r.tag();
        const name = byNo.get(no);
        if (name === undefined) r.skip(wire);
        else v[name] = fields[name].read(r, wire, v[name]);
      }
      return v as T;
    },
  };
}
