// `start`'s side of runo.shim.v1.Manager/Claim, done synchronously through
// the FFI: `start` is a short process that needs only this one call, and
// a blocking connect/write/read needs no --allow-net and no event loop.
//
// Permissions: --allow-ffi.

import { connectUnix } from "../ffi/unix_socket.ts";
import { close, read, writeAll } from "../ffi/syscalls.ts";
import { encodeFrame, FrameReader, MessageType, OversizedFrame } from "./ttrpc/framing.ts";
import { TtrpcRequest, TtrpcResponse } from "./proto/types.ts";
import { ClaimRequest, ClaimResponse, MANAGER_SERVICE } from "./proto/manager.ts";

/** The server's pid when a live server at `path` took the claim for `id`, else 0. */
export function claim(path: string, id: string): number {
  let fd: number;
  try {
    fd = connectUnix(path);
  } catch {
    return 0; // no socket, or nobody listening
  }
  try {
    const request = TtrpcRequest.encode({
      service: MANAGER_SERVICE,
      method: "Claim",
      payload: ClaimRequest.encode({ id }),
    });
    writeAll(fd, encodeFrame(1, MessageType.REQUEST, request));
    const frames = new FrameReader();
    const buf = new Uint8Array(4096);
    for (let n = read(fd, buf); n > 0; n = read(fd, buf)) {
      for (const f of frames.push(buf.subarray(0, n))) {
        if (f instanceof OversizedFrame || f.type !== MessageType.RESPONSE) return 0;
        const r = TtrpcResponse.decode(f.data);
        return r.status?.code ? 0 : ClaimResponse.decode(r.payload).pid;
      }
    }
    return 0;
  } catch {
    return 0; // the server went away mid-call
  } finally {
    close(fd);
  }
}
