// A D-Bus connection on a unix socket, through runo's FFI wrappers
// (Deno.connect would need --allow-net for a unix socket; runo runs
// without it). The first candidate that accepts the connection is used.
//
// Permissions: --allow-ffi.

import { close, writeAll } from "../../ffi/syscalls.ts";
import { eventfd, readUnlessStopped, signalEventfd } from "../../ffi/event_fds.ts";
import { connectUnix } from "../../ffi/unix_socket.ts";
import { readKernelFile } from "../../ffi/kernfs.ts";
import { effectiveUid } from "../rootless/mode.ts";
import type { BusCandidate } from "./address.ts";
import { Connection, type Transport } from "./connection.ts";

/**
 * A transport on a connected unix stream socket. A read waits in poll(2)
 * on the socket and a stop eventfd, so that close() also ends a read still
 * waiting (after a reply timed out): a read(2) left on a worker thread
 * could not be ended and can crash Deno when the process exits.
 */
export function unixTransport(fd: number): Transport {
  const stop = eventfd();
  let reading: Promise<unknown> = Promise.resolve();
  let closed = false;
  return {
    write(bytes) {
      writeAll(fd, bytes);
    },
    read() {
      const result = (async () => {
        const buf = new Uint8Array(65536);
        const n = await readUnlessStopped(fd, stop, buf);
        return buf.subarray(0, n ?? 0); // closed (null): as EOF
      })();
      reading = result.catch(() => {});
      return result;
    },
    close() {
      if (closed) return;
      closed = true;
      signalEventfd(stop);
      // The fds are closed once no poll is waiting on them.
      void reading.then(() => {
        close(fd);
        close(stop);
      });
    },
  };
}

/** An open connection on the first candidate that answers, and which one it was. */
export async function connectFirst(
  candidates: readonly BusCandidate[],
): Promise<{ conn: Connection; candidate: BusCandidate }> {
  const uid = effectiveUid(readKernelFile("/proc/self/status"));
  const failures: string[] = [];
  for (const candidate of candidates) {
    let fd: number;
    try {
      fd = connectUnix(candidate.path);
    } catch (err) {
      failures.push(
        `${candidate.path}: ${(err as Error).message.replace(/^Cannot connect "[^"]*": /, "")}`,
      );
      continue;
    }
    const conn = new Connection(unixTransport(fd));
    try {
      await conn.open(uid, candidate.bus);
      return { conn, candidate };
    } catch (err) {
      conn.close();
      failures.push(`${candidate.path}: ${(err as Error).message}`);
    }
  }
  throw new Error(`Cannot reach systemd over D-Bus (${failures.join("; ") || "no socket to try"})`);
}
