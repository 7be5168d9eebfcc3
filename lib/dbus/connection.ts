// A D-Bus connection over a byte stream: SASL EXTERNAL authentication
// with the uid in hex, Hello on a bus, method calls matched to their
// replies by serial, and signals kept until someone waits for them.
// Reading is driven by the waiters: nothing reads while nobody waits, so
// an idle connection holds no pending read (a pending FFI read would keep
// Deno's event loop alive).
//
// Permissions: none (the transport given does the I/O).

import type { Value } from "./marshal.ts";
import {
  decodeMessage,
  encodeMessage,
  type Message,
  messageLength,
  MessageType,
  NO_REPLY_EXPECTED,
} from "./message.ts";

/** The byte stream under a connection (a unix socket in production). */
export interface Transport {
  write(bytes: Uint8Array<ArrayBuffer>): void;
  /** Resolves with the bytes read, or an empty array at end of stream. */
  read(): Promise<Uint8Array>;
  close(): void;
}

/** An error reply: `name` is the D-Bus error name. */
export class DBusError extends Error {
  readonly errorName: string;
  constructor(errorName: string, message: string) {
    super(message);
    this.name = "DBusError";
    this.errorName = errorName;
  }
}

export interface Call {
  readonly destination?: string;
  readonly path: string;
  readonly interface: string;
  readonly member: string;
  readonly signature?: string;
  readonly body?: readonly Value[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * sd-bus as a server (systemd's private socket, systemd 252) reads the
 * authentication in chunks of up to 256 bytes; when BEGIN and a whole
 * first message arrive in one chunk it switches to RUNNING and leaves the
 * message in its buffer unprocessed until more bytes arrive, so a call
 * sent right after BEGIN may never be answered. A signal of 1 KiB sent
 * with BEGIN cannot fit in that chunk: the bytes left on the socket wake
 * systemd again, and it is dropped, as any signal nobody matches.
 */
function withPadding(begin: Uint8Array): Uint8Array<ArrayBuffer> {
  const pad = encodeMessage({
    type: MessageType.signal,
    flags: NO_REPLY_EXPECTED,
    serial: 0xffffffff,
    path: "/org/runo/Padding",
    interface: "org.runo.Padding",
    member: "Padding",
    signature: "s",
    body: ["x".repeat(1024)],
  });
  const out = new Uint8Array(begin.length + pad.length);
  out.set(begin);
  out.set(pad, begin.length);
  return out;
}

export class Connection {
  readonly #t: Transport;
  #buf: Uint8Array = new Uint8Array(0);
  #serial = 0;
  #closed = false;
  /** Messages read and not yet taken by a waiter. */
  readonly #inbox: Message[] = [];
  /** The bus name the daemon gave us (empty on a peer-to-peer socket). */
  uniqueName = "";

  /** How long a reply or a signal is waited for. */
  readonly #timeoutMs: number;

  constructor(t: Transport, timeoutMs = 30_000) {
    this.#t = t;
    this.#timeoutMs = timeoutMs;
  }

  /** Authenticates as `uid`; on a bus, also says Hello. */
  async open(uid: number, bus: boolean): Promise<void> {
    const hex = [...encoder.encode(String(uid))].map((b) => b.toString(16).padStart(2, "0"));
    this.#t.write(encoder.encode(`\0AUTH EXTERNAL ${hex.join("")}\r\n`));
    const line = await this.#readLine();
    if (!line.startsWith("OK ")) {
      throw new DBusError("", `D-Bus authentication (EXTERNAL, uid ${uid}) refused: ${line}`);
    }
    this.#t.write(bus ? encoder.encode("BEGIN\r\n") : withPadding(encoder.encode("BEGIN\r\n")));
    if (bus) {
      const [name] = await this.call({
        destination: "org.freedesktop.DBus",
        path: "/org/freedesktop/DBus",
        interface: "org.freedesktop.DBus",
        member: "Hello",
      });
      this.uniqueName = name as string;
    }
  }

  /** Calls a method and returns the reply's body; an error reply throws DBusError. */
  async call(c: Call): Promise<Value[]> {
    const serial = ++this.#serial;
    this.#t.write(encodeMessage({ type: MessageType.methodCall, serial, ...c }));
    const reply = await this.#take(
      (m) =>
        (m.type === MessageType.methodReturn || m.type === MessageType.error) &&
        m.replySerial === serial,
      c.member,
    );
    if (reply.type === MessageType.error) {
      const detail = typeof reply.body?.[0] === "string" ? reply.body[0] : reply.errorName;
      throw new DBusError(reply.errorName ?? "", `${c.member}: ${detail}`);
    }
    return [...(reply.body ?? [])];
  }

  /** The first signal (already received or still to come) that `match` accepts. */
  signal(match: (m: Message) => boolean, what = "signal"): Promise<Message> {
    return this.#take((m) => m.type === MessageType.signal && match(m), what);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#t.close();
  }

  /** The first message `match` accepts; DBusError after the timeout. */
  async #take(match: (m: Message) => boolean, what: string): Promise<Message> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new DBusError("", `${what}: no answer over D-Bus in ${this.#timeoutMs / 1000} s`));
      }, this.#timeoutMs);
    });
    try {
      return await Promise.race([this.#find(match), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #find(match: (m: Message) => boolean): Promise<Message> {
    for (;;) {
      const i = this.#inbox.findIndex(match);
      if (i >= 0) return this.#inbox.splice(i, 1)[0];
      this.#inbox.push(...await this.#readMessages());
    }
  }

  /** Reads until at least one whole message is buffered; returns them all. */
  async #readMessages(): Promise<Message[]> {
    const out: Message[] = [];
    for (;;) {
      for (let len = messageLength(this.#buf); len > 0; len = messageLength(this.#buf)) {
        if (this.#buf.length < len) break;
        out.push(decodeMessage(this.#buf.subarray(0, len)));
        this.#buf = this.#buf.slice(len);
      }
      if (out.length > 0) return out;
      await this.#fill();
    }
  }

  async #readLine(): Promise<string> {
    for (;;) {
      const end = this.#buf.indexOf(0x0a);
      if (end >= 0) {
        const line = decoder.decode(this.#buf.subarray(0, end)).replace(/\r$/, "");
        this.#buf = this.#buf.slice(end + 1);
        return line;
      }
      await this.#fill();
    }
  }

  async #fill(): Promise<void> {
    if (this.#closed) throw new DBusError("", "D-Bus connection is closed");
    const chunk = await this.#t.read();
    if (chunk.length === 0) throw new DBusError("", "D-Bus peer closed the connection");
    const next = new Uint8Array(this.#buf.length + chunk.length);
    next.set(this.#buf);
    next.set(chunk, this.#buf.length);
    this.#buf = next;
  }
}
