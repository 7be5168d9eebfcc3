// Typed wrappers for unix stream sockets (c/unix_socket_wrappers.c): the
// console socket, the pidfd socket, the shim's and D-Bus's connections, an
// fd received beside a message (SCM_RIGHTS). They throw SyscallError.
//
// Permissions: --allow-ffi (plus what libnsexec.ts needs to locate it).

import { nsexec } from "./libnsexec.ts";
import { cstr } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";

function check(rc: number, syscall: string, path?: string): number {
  if (rc < 0) throw new SyscallError(syscall, -rc, { path });
  return rc;
}

/** A connected unix stream socket (e.g. the --console-socket). */
export function connectUnix(path: string): number {
  return check(nsexec().runo_connect_unix(cstr(path)), "connect", path);
}

/** A listening unix stream socket bound to path. */
export function listenUnix(path: string): number {
  return check(nsexec().runo_listen_unix(cstr(path)), "bind", path);
}

/** accept4 on a worker thread. */
export async function acceptAsync(fd: number): Promise<number> {
  return check(await nsexec().runo_accept_async(fd), "accept");
}

export interface ReceivedFd {
  readonly fd: number;
  /** The message sent beside it (runc sends the pty's name). */
  readonly name: string;
}

function received(rc: number, buf: Uint8Array): ReceivedFd {
  check(rc, "recvmsg SCM_RIGHTS");
  const end = buf.indexOf(0);
  return { fd: rc, name: new TextDecoder().decode(buf.subarray(0, end < 0 ? 0 : end)) };
}

/** Receives one fd sent with SCM_RIGHTS, waiting on a worker thread. */
export async function recvFdAsync(sock: number): Promise<ReceivedFd> {
  const buf = new Uint8Array(4096);
  return received(await nsexec().runo_recv_fd_async(sock, buf, BigInt(buf.length)), buf);
}
