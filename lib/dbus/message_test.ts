import { assertEquals, assertThrows } from "../testing/assert.ts";
import { decodeMessage, encodeMessage, messageLength, MessageType } from "./message.ts";
import { MarshalError, variant } from "./marshal.ts";

// The Hello call every D-Bus client sends first, as libdbus writes it.
const HELLO = "l\x01\x00\x01\x00\x00\x00\x00\x01\x00\x00\x00m\x00\x00\x00" +
  "\x01\x01o\x00\x15\x00\x00\x00/org/freedesktop/DBus\x00\x00\x00" +
  "\x02\x01s\x00\x14\x00\x00\x00org.freedesktop.DBus\x00\x00\x00\x00" +
  "\x03\x01s\x00\x05\x00\x00\x00Hello\x00\x00\x00" +
  "\x06\x01s\x00\x14\x00\x00\x00org.freedesktop.DBus\x00\x00\x00\x00";

function bytesOf(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

Deno.test("encodeMessage() writes Hello byte for byte as libdbus does", () => {
  const bytes = encodeMessage({
    type: MessageType.methodCall,
    serial: 1,
    path: "/org/freedesktop/DBus",
    interface: "org.freedesktop.DBus",
    member: "Hello",
    destination: "org.freedesktop.DBus",
  });
  assertEquals([...bytes], bytesOf(HELLO));
  assertEquals(messageLength(bytes), bytes.length);
});

Deno.test("decodeMessage() reads back the header fields and body", () => {
  const m = {
    type: MessageType.signal,
    flags: 0,
    serial: 9,
    path: "/org/freedesktop/systemd1",
    interface: "org.freedesktop.systemd1.Manager",
    member: "JobRemoved",
    sender: ":1.0",
    signature: "uoss",
    body: [7, "/org/freedesktop/systemd1/job/7", "x.scope", "done"],
  };
  assertEquals(decodeMessage(encodeMessage(m)), m);
});

Deno.test("decodeMessage() reads an error reply's name and reply serial", () => {
  const bytes = encodeMessage({
    type: MessageType.error,
    serial: 3,
    replySerial: 2,
    errorName: "org.freedesktop.systemd1.NoSuchUnit",
    signature: "s",
    body: ["Unit x.scope not loaded."],
  });
  const m = decodeMessage(bytes);
  assertEquals(m.errorName, "org.freedesktop.systemd1.NoSuchUnit");
  assertEquals(m.replySerial, 2);
  assertEquals(m.body, ["Unit x.scope not loaded."]);
});

Deno.test("messageLength() is 0 until the fixed header is in, then the whole length", () => {
  const bytes = encodeMessage({
    type: MessageType.methodReturn,
    serial: 2,
    replySerial: 1,
    signature: "v",
    body: [variant("s", "/")],
  });
  assertEquals(messageLength(bytes.subarray(0, 15)), 0);
  assertEquals(messageLength(bytes.subarray(0, 16)), bytes.length);
});

Deno.test("messageLength() refuses a bad byte-order mark", () => {
  assertThrows(() => messageLength(new Uint8Array(16)), MarshalError, "byte-order mark");
});
