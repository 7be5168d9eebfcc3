import { assertEquals, assertRejects } from "../testing/assert.ts";
import { Connection, DBusError, type Transport } from "./connection.ts";
import { decodeMessage, encodeMessage, messageLength, MessageType } from "./message.ts";

/** A peer that answers each call from `answer` and records what it was sent. */
function fakePeer(answer: (serial: number, member: string) => Uint8Array[]): {
  transport: Transport;
  sent: string[];
} {
  const sent: string[] = [];
  const queue: Uint8Array[] = [];
  let pending = new Uint8Array(0);
  let authed = false;
  const transport: Transport = {
    write(bytes) {
      if (!authed) {
        const text = new TextDecoder().decode(bytes);
        if (text.startsWith("\0AUTH")) queue.push(new TextEncoder().encode("OK 1234abcd\r\n"));
        if (!text.startsWith("BEGIN\r\n")) return void sent.push(text);
        sent.push("BEGIN\r\n");
        authed = true;
        bytes = bytes.subarray(7);
        if (bytes.length === 0) return;
      }
      const all = new Uint8Array(pending.length + bytes.length);
      all.set(pending);
      all.set(bytes, pending.length);
      pending = all;
      const len = messageLength(pending);
      if (len === 0 || pending.length < len) return;
      const m = decodeMessage(pending.subarray(0, len));
      pending = pending.slice(len);
      if (m.type === MessageType.signal) return void sent.push(`signal ${m.member}`);
      sent.push(m.member ?? "");
      queue.push(...answer(m.serial, m.member ?? ""));
    },
    read() {
      return Promise.resolve(queue.shift() ?? new Uint8Array(0));
    },
    close() {},
  };
  return { transport, sent };
}

function reply(serial: number, replySerial: number, sig: string, body: (string | number)[]) {
  return encodeMessage({
    type: MessageType.methodReturn,
    serial,
    replySerial,
    signature: sig,
    body,
  });
}

Deno.test("Connection.open() sends AUTH EXTERNAL with the uid in hex, then Hello on a bus", async () => {
  const { transport, sent } = fakePeer((serial) => [reply(1, serial, "s", [":1.42"])]);
  const conn = new Connection(transport);
  await conn.open(1000, true);
  assertEquals(sent, ["\0AUTH EXTERNAL 31303030\r\n", "BEGIN\r\n", "Hello"]);
  assertEquals(conn.uniqueName, ":1.42");
});

Deno.test("Connection.open() on systemd's private socket sends no Hello, and pads BEGIN with a signal", async () => {
  const { transport, sent } = fakePeer(() => []);
  await new Connection(transport).open(0, false);
  assertEquals(sent, ["\0AUTH EXTERNAL 30\r\n", "BEGIN\r\n", "signal Padding"]);
});

Deno.test("Connection.call() keeps a signal that comes before the reply for signal()", async () => {
  const { transport } = fakePeer((serial) => {
    const sig = encodeMessage({
      type: MessageType.signal,
      serial: 5,
      path: "/org/freedesktop/systemd1",
      interface: "org.freedesktop.systemd1.Manager",
      member: "JobRemoved",
      signature: "uoss",
      body: [1, "/job/1", "x.scope", "done"],
    });
    const r = reply(6, serial, "o", ["/job/1"]);
    // Both in one read, signal first: as systemd may send them.
    const both = new Uint8Array(sig.length + r.length);
    both.set(sig);
    both.set(r, sig.length);
    return [both.subarray(0, 10), both.subarray(10)];
  });
  const conn = new Connection(transport);
  await conn.open(0, false);
  const [job] = await conn.call({ path: "/", interface: "i", member: "StartTransientUnit" });
  assertEquals(job, "/job/1");
  const done = await conn.signal((m) => m.member === "JobRemoved" && m.body?.[1] === job);
  assertEquals(done.body?.[3], "done");
});

Deno.test("Connection.call() throws DBusError with the error's name and text", async () => {
  const { transport } = fakePeer((serial) => [
    encodeMessage({
      type: MessageType.error,
      serial: 2,
      replySerial: serial,
      errorName: "org.freedesktop.systemd1.UnitExists",
      signature: "s",
      body: ["Unit x.scope already exists."],
    }),
  ]);
  const conn = new Connection(transport);
  await conn.open(0, false);
  const err = await assertRejects(
    () => conn.call({ path: "/", interface: "i", member: "StartTransientUnit" }),
    DBusError,
    "StartTransientUnit: Unit x.scope already exists.",
  );
  assertEquals(err.errorName, "org.freedesktop.systemd1.UnitExists");
});

Deno.test("Connection.call() fails plainly when the peer hangs up", async () => {
  const { transport } = fakePeer(() => []);
  const conn = new Connection(transport);
  await conn.open(0, false);
  await assertRejects(
    () => conn.call({ path: "/", interface: "i", member: "Ping" }),
    DBusError,
    "peer closed the connection",
  );
});

Deno.test("Connection.call() gives up after its timeout, naming the call", async () => {
  const transport: Transport = {
    write() {},
    read: () => new Promise(() => {}),
    close() {},
  };
  const conn = new Connection(transport, 20);
  await assertRejects(
    () => conn.call({ path: "/", interface: "i", member: "StopUnit" }),
    DBusError,
    "StopUnit: no answer over D-Bus in 0.02 s",
  );
});
