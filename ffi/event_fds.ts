// The fds runo waits on, through FFI (c/event_wrappers.c): an eventfd to
// wake a poll, the kernel's cgroup notifications `events` waits on (a v1
// memory eventfd, inotify on a v2 file), a pidfd, all polled off the event
// loop.
//
// Permissions: --allow-ffi.

import { nsexec } from "./libnsexec.ts";
import { cstr, read } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";
import { ESRCH } from "./errno.ts";

const IN_MODIFY = 0x2;

function fdOrThrow(rc: number, syscall: string, path?: string): number {
  if (rc < 0) throw new SyscallError(syscall, -rc, path ? { path } : {});
  return rc;
}

/** A nonblocking eventfd (counter 0); signalEventfd makes it readable. */
export function eventfd(): number {
  return fdOrThrow(nsexec().runo_eventfd(), "eventfd");
}

/** Adds 1 to an eventfd's counter, waking whoever polls it. */
export function signalEventfd(fd: number): void {
  const one = new Uint8Array(new BigUint64Array([1n]).buffer);
  const n = Number(nsexec().runo_write(fd, one, 8n));
  if (n < 0) throw new SyscallError("write eventfd", -n);
}

/**
 * A cgroup v1 memory notification: an eventfd registered for `control`
 * (memory.oom_control: readable at each OOM) through `eventControl`
 * (cgroup.event_control). The kernel signals it once more when the cgroup
 * is removed.
 */
export function memcgEventfd(control: string, eventControl: string): number {
  return fdOrThrow(
    nsexec().runo_memcg_eventfd(cstr(control), cstr(eventControl)),
    "register cgroup.event_control",
    control,
  );
}

/** A nonblocking inotify fd, readable when `path` is modified (cgroupfs: its value changed). */
export function watchModified(path: string): number {
  return fdOrThrow(nsexec().runo_inotify_watch(cstr(path), IN_MODIFY), "inotify_add_watch", path);
}

/** pidfd_open(2): readable once `pid` exits. ESRCH when it is gone already. */
export function pidfdOpen(pid: number): number {
  return fdOrThrow(nsexec().runo_pidfd_open(pid), "pidfd_open", String(pid));
}

/** pidfdOpen, or -1 when no process has `pid` (ESRCH; 0 and below name none). */
export function pidfdOpenIfExists(pid: number): number {
  if (pid <= 0) return -1;
  const rc = nsexec().runo_pidfd_open(pid);
  return rc === -ESRCH ? -1 : fdOrThrow(rc, "pidfd_open", String(pid));
}

/**
 * True once the process of `pidfd` has exited (its pidfd is readable), by
 * a poll that does not wait: cheap enough for a command's hot path.
 */
export function pidfdExited(pidfd: number): boolean {
  const rc = nsexec().runo_poll3(pidfd, -1, -1, 0);
  if (rc < 0) throw new SyscallError("poll", -rc, { path: `pidfd ${pidfd}` });
  return rc !== 0;
}

/**
 * Waits, on a worker thread, until one of `fds` (up to three; -1 skips a
 * slot) is readable or `timeoutMs` passes (-1: no limit). Resolves to a
 * bitmask: bit i set when fds[i] is readable; 0 on timeout.
 */
export async function pollReadable(fds: readonly number[], timeoutMs: number): Promise<number> {
  const [a = -1, b = -1, c = -1] = fds;
  const rc = await nsexec().runo_poll3_async(
    a,
    b,
    c,
    Math.max(-1, Math.min(Math.ceil(timeoutMs), 2 ** 31 - 1)),
  );
  if (rc < 0) throw new SyscallError("poll", -rc);
  return rc;
}

/**
 * Sleeps `ms` in a poll of no fd on a worker thread. Not setTimeout: the
 * first timer of a Deno process costs 4-6 ms, which a command that sleeps
 * once (delete's wait for a killed init) pays in full.
 */
export async function sleep(ms: number): Promise<void> {
  await pollReadable([], ms);
}

/**
 * Waits in poll(2) until `fd` is readable or the eventfd `stop` is
 * signalled, never in a read(2) nothing could end; then reads once.
 * Resolves to the bytes read (0 at EOF), null once `stop` was signalled.
 */
export async function readUnlessStopped(
  fd: number,
  stop: number,
  buf: Uint8Array<ArrayBuffer>,
): Promise<number | null> {
  if (await pollReadable([fd, stop], -1) & 2) return null;
  return read(fd, buf);
}

/** Reads a nonblocking fd (eventfd, inotify) empty; returns the bytes read. */
export function drainFd(fd: number): number {
  const n = Number(nsexec().runo_drain(fd));
  if (n < 0) throw new SyscallError("read", -n);
  return n;
}
