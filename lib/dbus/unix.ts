// A D-Bus connection on a unix socket, through runo's FFI wrappers
// (Deno.connect would need --allow-net for a unix socket; runo runs
// without it). The first candidate that accepts the connection is used.
//
// Permissions: --allow-ffi.

import { close, readAsync, write } from "../../ffi/syscalls.ts";
import { connectUnix } from "../../ffi/tty.ts";
import { readKernelFile } from "../../ffi/kernfs.ts";
import { effectiveUid } from "../rootless/mode.ts";
import type { BusCandidate } from "./address.ts";
import { Connection, type Transport } from "./connection.ts";

/** A transport on a connected unix stream socket. */
export function unixTransport(fd: number): Transport {
  return {
    write(bytes) {
      for (let off = 0; off < bytes.length;) off += write(fd, bytes.subarray(off));
    },
    async read() {
      const buf = new Uint8Array(65536);
      const n = await readAsync(fd, buf);
      return buf.subarray(0, n);
    },
    close() {
      close(fd);
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
