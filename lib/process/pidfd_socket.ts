// --pidfd-socket PATH (runc 1.3, create/run/exec): a pidfd of the
// container's init (create, run) or of the exec'd process goes over the
// unix socket at PATH with SCM_RIGHTS, beside the text "standard" or
// "setns" as runc's init sends it. runo connects before it makes anything,
// so a bad path fails the command with nothing left behind, and sends from
// the host once the process exists (runc's init sends its own).
//
// Permissions: --allow-ffi.

import { close } from "../../ffi/syscalls.ts";
import { connectUnix } from "../../ffi/unix_socket.ts";
import { pidfdOpen } from "../../ffi/event_fds.ts";
import { sendFd } from "../../ffi/process.ts";

export interface PidfdSocket {
  /** Sends a pidfd of pid; "standard" for a container's init, "setns" for exec. */
  send(pid: number, kind: "standard" | "setns"): void;
  [Symbol.dispose](): void;
}

/** Connects to `path` now; undefined without a path. */
export function openPidfdSocket(path: string | undefined): PidfdSocket | undefined {
  if (path === undefined) return undefined;
  let sock: number;
  try {
    sock = connectUnix(path);
  } catch (err) {
    throw new Error(`--pidfd-socket: ${(err as Error).message}`, { cause: err });
  }
  let open = true;
  return {
    send(pid, kind) {
      const pidfd = pidfdOpen(pid);
      try {
        sendFd(sock, new TextEncoder().encode(kind), pidfd);
      } catch (err) {
        throw new Error(`--pidfd-socket ${path}: ${(err as Error).message}`, { cause: err });
      } finally {
        close(pidfd);
      }
    },
    [Symbol.dispose]() {
      if (open) close(sock);
      open = false;
    },
  };
}
