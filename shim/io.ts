// A process's stdio as containerd names it: fifo paths (ctr, the CRI),
// file:// URIs (a log file), or "" (none). Without a terminal the fifos
// are handed to the process itself, so no byte passes through the shim:
// stdout and stderr are opened write-only after the shim opened a reader
// of its own (a writer never gets EPIPE when containerd's reader goes
// away, as with runc's shim), stdin read-only after the shim opened a
// writer (the process never reads EOF before containerd's writer comes;
// CloseIO closes it). With a terminal the pty master arrives on a console
// socket and the shim copies between it and the fifos.
//
// Permissions: --allow-ffi; --allow-read and --allow-write (fifos, the
// console socket).

import { close, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, open, write } from "../ffi/syscalls.ts";
import { acceptAsync, connectUnix, listenUnix, recvFdAsync } from "../ffi/unix_socket.ts";
import { setWinSize } from "../ffi/tty.ts";
import { eventfd, readUnlessStopped, signalEventfd } from "../ffi/event_fds.ts";
import { Code, ShimError } from "./errors.ts";

const O_APPEND = 0o2000;
const CONSOLE_DIR = "/run/runo-shim";
const O_CREAT = 0o100;

export interface StdioRequest {
  readonly stdin: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly terminal: boolean;
}

/** The stdio of one process, from open to close. */
export class ProcessIO {
  /** fds for the process (0–2); with a terminal /dev/null (the init swaps in the pty). */
  readonly stdio: [number, number, number];
  /** The console socket to pass to create/exec, with a terminal. */
  readonly consoleSocket?: string;
  #holds: number[] = [];
  #stdinHold = -1;
  #master = -1;
  #pump: Promise<void> | undefined;
  #stop = -1;
  /** A console socket still waiting for the master. */
  #listening = false;

  private constructor(stdio: [number, number, number], consoleSocket?: string) {
    this.stdio = stdio;
    this.consoleSocket = consoleSocket;
  }

  /** Opens the stdio of `req`; a terminal's master will come to `consoleSocket`. */
  static open(req: StdioRequest, consoleSocket: string): ProcessIO {
    if (req.terminal) {
      const nul = open("/dev/null", O_RDWR);
      return new ProcessIO([nul, nul, nul], consoleSocket);
    }
    const io = new ProcessIO([-1, -1, -1]);
    try {
      io.stdio[0] = io.#input(req.stdin);
      io.stdio[1] = io.#output(req.stdout);
      io.stdio[2] = io.#output(req.stderr);
    } catch (err) {
      io.close();
      throw err;
    }
    return io;
  }

  /**
   * With a terminal: listens on the console socket; the returned promise
   * settles with the master received and its pumps started.
   */
  acceptConsole(req: StdioRequest): Promise<void> {
    const sock = listenUnix(this.consoleSocket!);
    this.#listening = true;
    const done = (async () => {
      try {
        const conn = await acceptAsync(sock);
        try {
          this.#master = (await recvFdAsync(conn)).fd;
        } finally {
          close(conn);
        }
      } finally {
        this.#listening = false;
        close(sock);
        Deno.removeSync(this.consoleSocket!);
      }
      this.#startPumps(req);
    })();
    done.catch(() => {}); // awaited by the caller; after close() it fails unheard
    return done;
  }

  /** After create/exec: the process holds its fds, the shim's copies go. */
  released(): void {
    for (const fd of new Set(this.stdio)) if (fd >= 0) close(fd);
    this.stdio.fill(-1);
  }

  /** CloseIO: the process reads EOF once containerd's writer is gone too. */
  closeStdin(): void {
    if (this.#stdinHold >= 0) close(this.#stdinHold);
    this.#stdinHold = -1;
  }

  resize(width: number, height: number): void {
    if (this.#master < 0) {
      throw new ShimError(Code.FAILED_PRECONDITION, "the process has no terminal");
    }
    setWinSize(this.#master, { rows: height, cols: width });
  }

  /** The process exited: the terminal's output is copied to the end, readers see EOF. */
  async exited(): Promise<void> {
    this.closeStdin();
    await this.#pump;
  }

  close(): void {
    // A create that failed before the init connected: wake the accept up
    // (its thread would wait forever) so the socket is closed and removed.
    if (this.#listening) {
      try {
        close(connectUnix(this.consoleSocket!));
      } catch { /* gone meanwhile */ }
    }
    this.released();
    this.closeStdin();
    if (this.#stop >= 0) signalEventfd(this.#stop);
    for (const fd of this.#holds) close(fd);
    this.#holds = [];
  }

  #input(uri: string): number {
    const path = fifoPath(uri);
    if (path === "") return open("/dev/null", O_RDONLY);
    this.#stdinHold = open(path, O_RDWR);
    return open(path, O_RDONLY);
  }

  #output(uri: string): number {
    if (uri.startsWith("file://")) {
      return open(new URL(uri).pathname, O_WRONLY | O_APPEND | O_CREAT, 0o640);
    }
    const path = fifoPath(uri);
    if (path === "") return open("/dev/null", O_WRONLY);
    this.#holds.push(open(path, O_RDONLY | O_NONBLOCK));
    return open(path, O_WRONLY);
  }

  #startPumps(req: StdioRequest): void {
    const stop = this.#stop = eventfd();
    const master = this.#master;
    const out = fifoPath(req.stdout);
    this.#pump = (out ? pumpOut(master, out, stop) : Promise.resolve()).finally(() => {
      close(master);
      close(stop);
      this.#stop = -1;
    });
    const input = fifoPath(req.stdin);
    if (input) pumpIn(input, master).catch(() => {});
  }
}

/** A stdio URI's fifo path; "" for none. binary:// loggers are refused. */
function fifoPath(uri: string): string {
  if (uri === "") return "";
  if (uri.startsWith("binary://")) {
    throw new ShimError(Code.INVALID_ARGUMENT, `stdio ${uri}: binary:// loggers are not supported`);
  }
  if (uri.startsWith("fifo://")) return uri.slice("fifo://".length);
  if (uri.startsWith("file://")) return "";
  return uri;
}

/** master → stdout fifo until the terminal hangs up (EIO once the process is gone). */
async function pumpOut(master: number, path: string, stop: number): Promise<void> {
  const out = await Deno.open(path, { write: true });
  const buf = new Uint8Array(32 * 1024);
  try {
    for (;;) {
      let n: number | null;
      try {
        n = await readUnlessStopped(master, stop, buf);
      } catch {
        break; // EIO: the slave side is closed
      }
      if (!n) break;
      for (let off = 0; off < n;) off += await out.write(buf.subarray(off, n));
    }
  } finally {
    out.close();
  }
}

/** stdin fifo → master, until containerd closes its end. */
async function pumpIn(path: string, master: number): Promise<void> {
  const input = await Deno.open(path, { read: true });
  const buf = new Uint8Array(32 * 1024);
  try {
    for (let n = await input.read(buf); n !== null; n = await input.read(buf)) {
      for (let off = 0; off < n;) off += write(master, buf.subarray(off, n));
    }
  } finally {
    input.close();
  }
}

let consoles = 0;

/** A console socket path of its own (short: sun_path holds 108 bytes). */
export function consoleSocketPath(): string {
  Deno.mkdirSync(CONSOLE_DIR, { recursive: true, mode: 0o700 });
  return `${CONSOLE_DIR}/${Deno.pid}-${++consoles}.sock`;
}
