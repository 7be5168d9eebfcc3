// sd_notify (NOTIFY_SOCKET), the shell: create checks the host's socket
// and makes <state dir>/notify; start binds runo's datagram socket there,
// waits for the container's READY=1 (or its init's end) and passes it on
// to the host's socket with MAINPID, as runc's notify_socket.go does.
//
// Permissions: --allow-ffi, --allow-read, --allow-write.

import {
  BARRIER,
  hostMessages,
  notifyDir,
  notifySocketPath,
  readyLine,
  socketPathProblem,
} from "./plan.ts";
import { close, dgramBind, dgramSend, pipe, recvNow } from "../../ffi/syscalls.ts";
import { pidfdOpen, pollReadable } from "../../ffi/event_fds.ts";
import { log } from "../log/log.ts";
import { FileError } from "../file_error.ts";

/** How long one poll lasts: every wait returns well before runo exits. */
const POLL_MS = 1000;
/** runc waits as long for the host to close the barrier's pipe. */
const BARRIER_MS = 30_000;

/** Throws one line when the host's NOTIFY_SOCKET cannot be used. */
export function checkHostSocket(path: string, containerDir: string): void {
  const problem = socketPathProblem(path) ?? socketPathProblem(notifySocketPath(containerDir));
  if (problem !== null) throw new Error(`Cannot use NOTIFY_SOCKET "${path}": ${problem}`);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (err) {
    throw new FileError("use NOTIFY_SOCKET", path, err);
  }
  if (!info.isSocket) throw new Error(`Cannot use NOTIFY_SOCKET "${path}": not a unix socket`);
}

/** Makes <state dir>/notify (runc: 0755; the socket itself is 0777). */
export function makeNotifyDir(containerDir: string): void {
  Deno.mkdirSync(notifyDir(containerDir), { mode: 0o755 });
}

/** True when create set the container up for sd_notify. */
export function hasNotifyDir(containerDir: string): boolean {
  try {
    return Deno.statSync(notifyDir(containerDir)).isDirectory;
  } catch {
    return false;
  }
}

/** Binds runo's socket, mode 0777 so that any container user may send. */
export function bindNotifySocket(containerDir: string): number {
  return dgramBind(notifySocketPath(containerDir), 0o777);
}

/**
 * Waits on `fd` until a datagram holds READY=1, then tells `host`; returns
 * without a word when the init `pid` exits first. Closes `fd`.
 */
export async function forwardReady(fd: number, pid: number, host: string): Promise<void> {
  let pidfd = -1;
  try {
    pidfd = pidfdOpen(pid);
  } catch {
    // ESRCH: the init is gone already; a READY it sent may still be queued.
  }
  try {
    const buf = new Uint8Array(4096);
    const text = new TextDecoder();
    for (;;) {
      const mask = pidfd < 0 ? 2 : await pollReadable([fd, pidfd], POLL_MS);
      for (let n = recvNow(fd, buf); n !== null; n = recvNow(fd, buf)) {
        const ready = readyLine(text.decode(buf.subarray(0, n)));
        if (ready !== null) return await notifyHost(host, ready, pid);
      }
      if (mask & 2) return;
    }
  } finally {
    if (pidfd >= 0) close(pidfd);
    close(fd);
  }
}

async function notifyHost(host: string, ready: string, pid: number): Promise<void> {
  const encoder = new TextEncoder();
  for (const msg of hostMessages(ready, pid)) dgramSend(host, encoder.encode(msg));
  // sd_notify_barrier(3): the host has read READY and MAINPID (and knows
  // who sent them) once it closes the pipe's write end.
  const [r, w] = pipe();
  try {
    try {
      dgramSend(host, encoder.encode(BARRIER), w);
    } finally {
      close(w);
    }
    if (await pollReadable([r], BARRIER_MS) === 0) {
      log.warn(`NOTIFY_SOCKET "${host}": no answer to ${BARRIER} in 30 s, ignored`);
    }
  } finally {
    close(r);
  }
}
