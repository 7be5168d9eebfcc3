// Typed, throwing wrappers over libnsexec.so. Each C function returns
// -errno on failure; here that becomes a SyscallError naming the call and
// its path.
//
// Permissions: --allow-ffi (plus what libnsexec.ts needs to locate it).

import { nsexec } from "./libnsexec.ts";
import { SyscallError } from "./syscall_error.ts";
import { EAGAIN, ECHILD, EINTR, EMSGSIZE, ESRCH } from "./errno.ts";

const encoder = new TextEncoder();

/** A NUL-terminated C string. */
export function cstr(s: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(s + "\0");
}

function check(rc: number | bigint, syscall: string, path?: string): number {
  const n = Number(rc);
  if (n < 0) throw new SyscallError(syscall, -n, { path });
  return n;
}

export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
export const WNOHANG = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

export function sealExe(path: string): number {
  return check(nsexec().runo_seal_exe(cstr(path)), "seal", path);
}

/** Starts exe with fds[i] as its fd i and argv args; returns its pid. */
export function spawn(exeFd: number, fds: readonly number[], args: readonly string[]): number {
  const fdBuf = new Int32Array(fds);
  const argBuf = encoder.encode(args.map((a) => a + "\0").join(""));
  return check(
    nsexec().runo_spawn(exeFd, fdBuf, fds.length, argBuf, argBuf.length),
    "spawn the init",
  );
}

/** socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC). */
export function socketpair(): [number, number] {
  const out = new Int32Array(2);
  check(nsexec().runo_socketpair(out), "socketpair");
  return [out[0], out[1]];
}

/** pipe2(O_CLOEXEC): [read end, write end]. */
export function pipe(): [number, number] {
  const out = new Int32Array(2);
  check(nsexec().runo_pipe(out), "pipe");
  return [out[0], out[1]];
}

export function send(fd: number, data: Uint8Array<ArrayBuffer>): void {
  const n = check(nsexec().runo_send(fd, data, BigInt(data.length)), "send");
  if (n !== data.length) throw new SyscallError("send", EMSGSIZE);
}

/**
 * One packet (null: the peer closed the socket) and the fd that came beside
 * it (-1: none), from a socket known to be readable (pollReadable): read on
 * the calling thread.
 */
export function recvReadyPacketWithFd(
  fd: number,
  max = 65536,
): { packet: Uint8Array | null; fd: number } {
  const buf = new Uint8Array(max);
  const out = new Int32Array(1);
  const n = check(nsexec().runo_recv_with_fd(fd, buf, BigInt(max), out), "recvmsg");
  return { packet: n === 0 ? null : buf.subarray(0, n), fd: out[0] };
}

/** Connects to the unix socket at `path` and sends `data` with `passFd` beside it. */
export function sendFdTo(path: string, data: Uint8Array<ArrayBuffer>, passFd: number): void {
  check(
    nsexec().runo_unix_send_fd(cstr(path), data, BigInt(data.length), passFd),
    "connect+sendmsg",
    path,
  );
}

export function read(fd: number, buf: Uint8Array<ArrayBuffer>): number {
  return check(nsexec().runo_read(fd, buf, BigInt(buf.length)), "read");
}

export async function readAsync(fd: number, buf: Uint8Array<ArrayBuffer>): Promise<number> {
  return check(await nsexec().runo_read_async(fd, buf, BigInt(buf.length)), "read");
}

export function write(fd: number, data: Uint8Array<ArrayBuffer>): number {
  return check(nsexec().runo_write(fd, data, BigInt(data.length)), "write");
}

/** write(2) until all of `data` is written (a pipe or socket may take part of it). */
export function writeAll(fd: number, data: Uint8Array<ArrayBuffer>): void {
  for (let off = 0; off < data.length;) off += write(fd, data.subarray(off));
}

export function open(path: string, flags: number, mode = 0): number {
  return check(openOrErrno(path, flags, mode), "open", path);
}

/** open(2), close-on-exec: the fd, or -errno where open throws. */
export function openOrErrno(path: string, flags: number, mode = 0): number {
  return Number(nsexec().runo_open(cstr(path), flags | O_CLOEXEC, mode));
}

/**
 * Whether anything (a dangling symlink too) is at `path`, as lstat(2) tells;
 * false on any error. An O_PATH open, not Deno.lstatSync: a Deno op that
 * fails throws, and a command's first thrown op error costs ~0.25 ms cold.
 */
export function pathExists(path: string): boolean {
  const fd = openOrErrno(path, O_PATH | O_NOFOLLOW);
  if (fd < 0) return false;
  close(fd);
  return true;
}

/**
 * Whether `path` is a directory, a symlink to one followed (stat(2)'s
 * answer); false on any error. Through FFI, as pathExists: Deno.statSync's
 * first call costs ~0.12 ms cold, this ~5 us.
 */
export function isDirectory(path: string): boolean {
  const fd = openOrErrno(path, O_PATH | O_DIRECTORY);
  if (fd < 0) return false;
  close(fd);
  return true;
}

/** memfd_create(2), close-on-exec: an anonymous file only fds reach. */
export function memfd(name: string): number {
  return check(nsexec().runo_memfd(cstr(name)), "memfd_create", name);
}

export function close(fd: number): void {
  nsexec().runo_close(fd); // close(2) errors carry no useful recovery
}

/** kill(2); returns false when the process does not exist (ESRCH). */
export function kill(pid: number, signal: number): boolean {
  const rc = nsexec().runo_kill(pid, signal);
  if (rc === -ESRCH) return false;
  check(rc, "kill", String(pid));
  return true;
}

export interface WaitResult {
  readonly pid: number;
  /** The raw wait status. */
  readonly status: number;
}

export function waitpid(pid: number, options = 0): WaitResult {
  const status = new Int32Array(1);
  const got = check(nsexec().runo_waitpid(pid, status, options), "waitpid", String(pid));
  return { pid: got, status: status[0] };
}

/**
 * waitpid, or null when `pid` is no child of ours (ECHILD: reaped already,
 * or another process's), without an error made and caught: delete and
 * the reaps after a failure meet that case on every run.
 */
export function waitpidIfChild(pid: number, options = 0): WaitResult | null {
  const status = new Int32Array(1);
  const rc = Number(nsexec().runo_waitpid(pid, status, options));
  if (rc === -ECHILD) return null;
  return { pid: check(rc, "waitpid", String(pid)), status: status[0] };
}

/**
 * Where waitpidAsync gets exits when a reaper (ffi/reaper.ts) owns them:
 * with a waitpid(-1) loop running, a waitpid of our own would race it.
 */
let childWaiter: ((pid: number) => Promise<WaitResult>) | undefined;

/** Hands waitpidAsync over to a reaper (or back, with undefined). */
export function setChildWaiter(waiter: ((pid: number) => Promise<WaitResult>) | undefined): void {
  childWaiter = waiter;
}

/** waitpid(pid, 0) on a worker thread; retries EINTR. */
export async function waitpidAsync(pid: number): Promise<WaitResult> {
  if (childWaiter) return await childWaiter(pid);
  const status = new Int32Array(1);
  for (;;) {
    const rc = await nsexec().runo_waitpid_async(pid, status, 0);
    if (rc === -EINTR) continue;
    return { pid: check(rc, "waitpid", String(pid)), status: status[0] };
  }
}

/** Exit code of a wait status as a shell reports it: code, or 128+signal. */
export function exitCodeOf(status: number): number {
  const signal = status & 0x7f;
  return signal === 0 ? (status >> 8) & 0xff : 128 + signal;
}

export function mkfifo(path: string, mode: number): void {
  check(nsexec().runo_mkfifo(cstr(path), mode), "mkfifo", path);
}

/** flock(2); returns false when LOCK_NB was given and the lock is held. */
export function flock(fd: number, op: number, path?: string): boolean {
  const rc = nsexec().runo_flock(fd, op);
  if (rc === -EAGAIN) return false; // EWOULDBLOCK
  check(rc, "flock", path);
  return true;
}

export function setNonblock(fd: number): void {
  check(nsexec().runo_set_nonblock(fd), "set O_NONBLOCK on fd", String(fd));
}

/** A non-blocking read: the bytes available now (empty at EAGAIN), null at EOF. */
export function readAvailable(fd: number, buf: Uint8Array<ArrayBuffer>): Uint8Array | null {
  const n = Number(nsexec().runo_read(fd, buf, BigInt(buf.length)));
  if (n === -EAGAIN) return buf.subarray(0, 0);
  if (n < 0) throw new SyscallError("read", -n);
  return n === 0 ? null : buf.subarray(0, n);
}

/** Waits for the init's byte on the exec fifo; false if the init exited first. */
export function awaitFifo(path: string, pid: number): boolean {
  const rc = nsexec().runo_await_fifo(cstr(path), pid);
  if (rc === -ESRCH) return false;
  check(rc, "read exec fifo", path);
  return true;
}

/** A nonblocking unix datagram socket bound at `path`, the file chmod'ed to `mode`. */
export function dgramBind(path: string, mode: number): number {
  return check(nsexec().runo_dgram_bind(cstr(path), mode), "bind unix datagram socket", path);
}

/** One datagram to the unix socket at `path`, with `passFd` beside it when >= 0. */
export function dgramSend(path: string, data: Uint8Array<ArrayBuffer>, passFd = -1): void {
  check(
    nsexec().runo_dgram_send(cstr(path), data, BigInt(data.length), passFd),
    "sendmsg to",
    path,
  );
}

/** A nonblocking recv: one datagram's length, null when none is queued (EAGAIN). */
export function recvNow(fd: number, buf: Uint8Array<ArrayBuffer>): number | null {
  const n = Number(nsexec().runo_recv(fd, buf, BigInt(buf.length)));
  if (n === -EAGAIN) return null;
  return check(n, "recv");
}
