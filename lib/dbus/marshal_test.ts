import { assertEquals, assertThrows } from "../testing/assert.ts";
import {
  decodeBody,
  encodeBody,
  MarshalError,
  Reader,
  splitSignature,
  typeEnd,
  type Value,
  variant,
} from "./marshal.ts";

function roundTrip(sig: string, values: Value[]): Value[] {
  const bytes = encodeBody(sig, values).done();
  return decodeBody(sig, new Reader(bytes));
}

Deno.test("splitSignature() splits complete types, containers included", () => {
  assertEquals(splitSignature("ssa(sv)a(sa(sv))"), ["s", "s", "a(sv)", "a(sa(sv))"]);
  assertEquals(splitSignature("a{sv}ub"), ["a{sv}", "u", "b"]);
  assertEquals(typeEnd("aau", 0), 3);
});

Deno.test("splitSignature() rejects unclosed structs and unknown codes", () => {
  assertThrows(() => splitSignature("(su"), MarshalError, "unclosed");
  assertThrows(() => splitSignature("z"), MarshalError, "unknown type");
  assertThrows(() => splitSignature("a"), MarshalError, "ends early");
});

Deno.test("encodeBody() writes a string as length, bytes and NUL", () => {
  const bytes = encodeBody("s", ["ab"]).done();
  assertEquals([...bytes], [2, 0, 0, 0, 0x61, 0x62, 0]);
});

Deno.test("encodeBody() pads to each type's alignment from the start", () => {
  // y at 0, then u aligned to 4, then t aligned to 8.
  const bytes = encodeBody("yut", [7, 1, 2n]).done();
  assertEquals([...bytes], [7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("encodeBody() counts an array's length without the padding before its first element", () => {
  // a(t): length 4 bytes, then 4 bytes of padding to 8, then one t.
  const bytes = encodeBody("a(t)", [[[5n]]]).done();
  assertEquals([...bytes.subarray(0, 4)], [8, 0, 0, 0]);
  assertEquals(bytes.length, 16);
  // An empty array of structs still pads to 8 and has length 0.
  assertEquals([...encodeBody("ua(t)", [1, []]).done()], [1, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("encodeBody() writes a variant as signature then value", () => {
  const bytes = encodeBody("v", [variant("b", true)]).done();
  assertEquals([...bytes], [1, 0x62, 0, 0, 1, 0, 0, 0]);
});

Deno.test("round trip: StartTransientUnit's arguments", () => {
  const props: Value = [
    ["Description", variant("s", "runo container x")],
    ["PIDs", variant("au", [1234])],
    ["Delegate", variant("b", true)],
    ["MemoryMax", variant("t", 2n ** 64n - 1n)],
    ["AllowedCPUs", variant("ay", [0b101])],
  ];
  const values: Value[] = ["runo-x.scope", "replace", props, [["x", [["y", variant("u", 1)]]]]];
  assertEquals(roundTrip("ssa(sv)a(sa(sv))", values), values);
});

Deno.test("round trip: every basic type and a dict", () => {
  const values: Value[] = [255, -2, 65535, -5, 4000000000, -9n, 18446744073709551615n, false];
  assertEquals(roundTrip("ynqiuxtb", values), values);
  const dict: Value = [["a", variant("as", ["x", "y"])], ["b", variant("o", "/o/p")]];
  assertEquals(roundTrip("a{sv}g", [dict, "a{sv}"]), [dict, "a{sv}"]);
});

Deno.test("encodeBody() refuses a value of the wrong type and a wrong count", () => {
  assertThrows(() => encodeBody("u", ["x"]), MarshalError, 'as D-Bus type "u"');
  assertThrows(() => encodeBody("b", [1]), MarshalError, 'as D-Bus type "b"');
  assertThrows(() => encodeBody("ss", ["x"]), MarshalError, "has 2 values, 1 given");
});

Deno.test("decodeBody() refuses truncated input", () => {
  const bytes = encodeBody("s", ["hello"]).done().subarray(0, 6);
  assertThrows(() => decodeBody("s", new Reader(bytes)), MarshalError, "truncated");
});
