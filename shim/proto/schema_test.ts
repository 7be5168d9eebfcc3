// Permissions: none.
import { assertEquals } from "../../lib/testing/assert.ts";
import { bool, bytes, i64, map, message, msg, rep, str, u32, u64 } from "./schema.ts";
import { Timestamp } from "./types.ts";

const Inner = message("t.Inner", { name: str(1), n: u32(2) });
const Outer = message("t.Outer", {
  id: str(1),
  on: bool(2),
  inner: msg(3, Inner),
  items: rep(msg(4, Inner)),
  nums: rep(u64(5)),
  labels: map(6),
  blob: bytes(7),
  big: i64(8),
});

Deno.test("message() encodes proto3 defaults as nothing and decodes them back", () => {
  assertEquals(Outer.encode({}), new Uint8Array());
  assertEquals(Outer.encode({ id: "", on: false, nums: [], labels: {} }), new Uint8Array());
  const empty = Outer.decode(new Uint8Array());
  assertEquals(empty, {
    id: "",
    on: false,
    inner: undefined,
    items: [],
    nums: [],
    labels: {},
    blob: new Uint8Array(),
    big: 0n,
  });
});

Deno.test("message() writes protobuf's wire format: tag, length, varints", () => {
  // field 1 string "hi": 0x0a 0x02 'h' 'i'; field 2 bool: 0x10 0x01
  assertEquals([...Outer.encode({ id: "hi", on: true })], [0x0a, 2, 0x68, 0x69, 0x10, 1]);
  // repeated u64 is packed: 0x2a len 1 300(=0xac 0x02)
  assertEquals([...Outer.encode({ nums: [1n, 300n] })], [0x2a, 3, 1, 0xac, 2]);
  // Timestamp{seconds: 1, nanos: 2}
  assertEquals([...Timestamp.encode({ seconds: 1n, nanos: 2 })], [0x08, 1, 0x10, 2]);
});

Deno.test("message() round-trips nested, repeated, map and 64-bit fields", () => {
  const v = {
    id: "x",
    on: true,
    inner: { name: "a", n: 7 },
    items: [{ name: "b", n: 0 }, { name: "", n: 9 }],
    nums: [0n, 2n ** 63n],
    labels: { k: "v", "": "empty key" },
    blob: new Uint8Array([0, 255]),
    big: -5n,
  };
  assertEquals(Outer.decode(Outer.encode(v)), v);
});

Deno.test("decode() reads unpacked repeated numbers and skips unknown fields", () => {
  // field 5 unpacked twice (0x28 = 5<<3|0), then unknown field 15 (0x7a len 1 'z')
  const bytes = new Uint8Array([0x28, 4, 0x28, 5, 0x7a, 1, 0x7a, 0x0a, 1, 0x79]);
  const v = Outer.decode(bytes);
  assertEquals(v.nums, [4n, 5n]);
  assertEquals(v.id, "y");
});
