// The Deno.dlopen binding of build/libnsexec.so (c/libnsexec.h), opened
// lazily once. Only ffi/ touches pointers; callers use ffi/syscalls.ts.
//
// Permissions: --allow-ffi, --allow-env (RUNO_LIBDIR), --allow-read.

import { resolveLibDir } from "./libdir.ts";
import { Fn } from "./calls.ts";

// One dispatcher (c/call.c) instead of a symbol per function: Deno compiles
// a trampoline per symbol at dlopen (~0.3 ms each, ~9 ms for the ~40
// functions). The synchronous one is not even a symbol: its address,
// called through an UnsafeFnPointer, which compiles no fast-call
// trampoline. That trampoline only serves code V8 has optimized, which a
// command's run-once code never is, and its compiler's first use cost
// ~0.7 ms of every command's dlopen (1.0 -> 0.33 ms), for ~3 us more per
// call (45 calls for exec, ~140 for run).
const CALL = {
  parameters: ["u32", "buffer", "buffer", "buffer", "buffer", "i64", "i64", "i64", "i64"],
  result: "i64",
} as const satisfies Deno.ForeignFunction;

const TABLE = {
  runo_call_address: { name: "runo_call", type: "pointer" },
  runo_call_async: { name: "runo_call", ...CALL, nonblocking: true },
} as const satisfies Deno.ForeignLibraryInterface;

interface Binding {
  readonly runo_call: Deno.UnsafeFnPointer<typeof CALL>["call"];
  readonly runo_call_async: Deno.DynamicLibrary<typeof TABLE>["symbols"]["runo_call_async"];
}

type Ptr = BufferSource | null;
type Int = number | bigint;

let lib: Binding | undefined;
const sym = () => lib ??= bind();

function bind(): Binding {
  const symbols = bindLibnsexec(TABLE);
  const address = symbols.runo_call_address;
  if (address === null) throw new Error("libnsexec.so: runo_call has no address");
  // The address is runo_call's own: its signature is CALL.
  const sync = new Deno.UnsafeFnPointer(address as Deno.PointerObject<typeof CALL>, CALL);
  return { runo_call: sync.call.bind(sync), runo_call_async: symbols.runo_call_async };
}

/** Pointers in a..d, integers in x..w, each in the function's own order. */
function call(
  fn: number,
  a: Ptr,
  b: Ptr,
  c: Ptr,
  d: Ptr,
  x: Int,
  y: Int,
  z: Int,
  w: Int = 0,
): number {
  return Number(sym().runo_call(fn, a, b, c, d, BigInt(x), BigInt(y), BigInt(z), BigInt(w)));
}

/** The same on a thread of Deno's blocking pool (calls that may wait). */
async function callAsync(
  fn: number,
  a: Ptr,
  b: Ptr,
  c: Ptr,
  d: Ptr,
  x: Int,
  y: Int,
  z: Int,
  w: Int = 0,
): Promise<number> {
  return Number(
    await sym().runo_call_async(fn, a, b, c, d, BigInt(x), BigInt(y), BigInt(z), BigInt(w)),
  );
}

// The functions of c/libnsexec.h by their C names and parameter order; each
// returns its result or -errno.
const SYMBOLS = {
  runo_seal_exe: (path: Ptr) => call(Fn.SEAL_EXE, path, null, null, null, 0, 0, 0),
  runo_spawn: (exe: number, fds: Ptr, nfds: number, args: Ptr, argsLen: number) =>
    call(Fn.SPAWN, fds, args, null, null, exe, nfds, argsLen),
  runo_memfd: (name: Ptr) => call(Fn.MEMFD, name, null, null, null, 0, 0, 0),
  runo_socketpair: (out: Ptr) => call(Fn.SOCKETPAIR, out, null, null, null, 0, 0, 0),
  runo_pipe: (out: Ptr) => call(Fn.PIPE, out, null, null, null, 0, 0, 0),
  runo_send: (fd: number, buf: Ptr, len: Int) => call(Fn.SEND, buf, null, null, null, fd, len, 0),
  runo_recv: (fd: number, buf: Ptr, len: Int) => call(Fn.RECV, buf, null, null, null, fd, len, 0),
  runo_recv_with_fd: (fd: number, buf: Ptr, len: Int, fdOut: Ptr) =>
    call(Fn.RECV_WITH_FD, buf, fdOut, null, null, fd, len, 0),
  runo_unix_send_fd: (path: Ptr, buf: Ptr, len: Int, fd: number) =>
    call(Fn.UNIX_SEND_FD, path, buf, null, null, len, fd, 0),
  runo_read: (fd: number, buf: Ptr, len: Int) => call(Fn.READ, buf, null, null, null, fd, len, 0),
  runo_read_async: (fd: number, buf: Ptr, len: Int) =>
    callAsync(Fn.READ, buf, null, null, null, fd, len, 0),
  runo_write: (fd: number, buf: Ptr, len: Int) => call(Fn.WRITE, buf, null, null, null, fd, len, 0),
  runo_open: (path: Ptr, flags: number, mode: number) =>
    call(Fn.OPEN, path, null, null, null, flags, mode, 0),
  runo_close: (fd: number) => call(Fn.CLOSE, null, null, null, null, fd, 0, 0),
  runo_kill: (pid: number, sig: number) => call(Fn.KILL, null, null, null, null, pid, sig, 0),
  runo_waitpid: (pid: number, status: Ptr, options: number) =>
    call(Fn.WAITPID, status, null, null, null, pid, options, 0),
  runo_waitpid_async: (pid: number, status: Ptr, options: number) =>
    callAsync(Fn.WAITPID, status, null, null, null, pid, options, 0),
  runo_mkfifo: (path: Ptr, mode: number) => call(Fn.MKFIFO, path, null, null, null, mode, 0, 0),
  runo_flock: (fd: number, op: number) => call(Fn.FLOCK, null, null, null, null, fd, op, 0),
  runo_set_nonblock: (fd: number) => call(Fn.SET_NONBLOCK, null, null, null, null, fd, 0, 0),
  runo_await_fifo: (path: Ptr, pid: number) =>
    call(Fn.AWAIT_FIFO, path, null, null, null, pid, 0, 0),
  runo_read_file: (path: Ptr, buf: Ptr, len: Int) =>
    call(Fn.READ_FILE, path, buf, null, null, len, 0, 0),
  runo_read_regular: (root: Ptr, path: Ptr, buf: Ptr, len: Int, info: Ptr, mode: number) =>
    call(Fn.READ_REGULAR, root, path, buf, info, len, mode, 0),
  runo_write_file: (path: Ptr, buf: Ptr, len: Int) =>
    call(Fn.WRITE_FILE, path, buf, null, null, len, 0, 0),
  runo_mkdir: (path: Ptr, mode: number) => call(Fn.MKDIR, path, null, null, null, mode, 0, 0),
  runo_rmdir: (path: Ptr) => call(Fn.RMDIR, path, null, null, null, 0, 0, 0),
  runo_bpf: (cmd: number, attr: Ptr, size: number) =>
    call(Fn.BPF, attr, null, null, null, cmd, size, 0),
  runo_list_subdirs: (path: Ptr, buf: Ptr, len: Int) =>
    call(Fn.LIST_SUBDIRS, path, buf, null, null, len, 0, 0),
  runo_connect_unix: (path: Ptr) => call(Fn.CONNECT_UNIX, path, null, null, null, 0, 0, 0),
  runo_listen_unix: (path: Ptr) => call(Fn.LISTEN_UNIX, path, null, null, null, 0, 0, 0),
  runo_accept_async: (fd: number) => callAsync(Fn.ACCEPT, null, null, null, null, fd, 0, 0),
  runo_recv_fd: (sock: number, name: Ptr, len: Int) =>
    call(Fn.RECV_FD, name, null, null, null, sock, len, 0),
  runo_recv_fd_async: (sock: number, name: Ptr, len: Int) =>
    callAsync(Fn.RECV_FD, name, null, null, null, sock, len, 0),
  runo_set_winsize: (fd: number, rows: number, cols: number) =>
    call(Fn.SET_WINSIZE, null, null, null, null, fd, rows, cols),
  runo_get_winsize: (fd: number, out: Ptr) => call(Fn.GET_WINSIZE, out, null, null, null, fd, 0, 0),
  runo_tty_raw: (fd: number, saved: Ptr, len: Int) =>
    call(Fn.TTY_RAW, saved, null, null, null, fd, len, 0),
  runo_tty_restore: (fd: number, saved: Ptr, len: Int) =>
    call(Fn.TTY_RESTORE, saved, null, null, null, fd, len, 0),
  runo_tty_clear_onlcr: (fd: number) => call(Fn.TTY_CLEAR_ONLCR, null, null, null, null, fd, 0, 0),
  runo_isatty: (fd: number) => call(Fn.ISATTY, null, null, null, null, fd, 0, 0),
  runo_spawn_hook: (path: Ptr, fds: Ptr, args: Ptr, argsLen: number, env: Ptr, envLen: number) =>
    call(Fn.SPAWN_HOOK, path, fds, args, env, argsLen, envLen, 0),
  runo_ns_type: (path: Ptr) => call(Fn.NS_TYPE, path, null, null, null, 0, 0, 0),
  runo_idmapped_tree: (src: Ptr, recursive: number, uidmap: Ptr, gidmap: Ptr) =>
    call(Fn.IDMAPPED_TREE, src, uidmap, gidmap, null, recursive, 0, 0),
  runo_can_write_dir: (path: Ptr) => call(Fn.CAN_WRITE_DIR, path, null, null, null, 0, 0, 0),
  runo_eventfd: () => call(Fn.EVENTFD, null, null, null, null, 0, 0, 0),
  runo_memcg_eventfd: (control: Ptr, eventControl: Ptr) =>
    call(Fn.MEMCG_EVENTFD, control, eventControl, null, null, 0, 0, 0),
  runo_inotify_watch: (path: Ptr, mask: number) =>
    call(Fn.INOTIFY_WATCH, path, null, null, null, mask, 0, 0),
  runo_pidfd_open: (pid: number) => call(Fn.PIDFD_OPEN, null, null, null, null, pid, 0, 0),
  runo_poll3: (a: number, b: number, c: number, timeoutMs: number) =>
    call(Fn.POLL3, null, null, null, null, a, b, c, timeoutMs),
  runo_poll3_async: (a: number, b: number, c: number, timeoutMs: number) =>
    callAsync(Fn.POLL3, null, null, null, null, a, b, c, timeoutMs),
  runo_drain: (fd: number) => call(Fn.DRAIN, null, null, null, null, fd, 0, 0),
  runo_dgram_bind: (path: Ptr, mode: number) =>
    call(Fn.DGRAM_BIND, path, null, null, null, mode, 0, 0),
  runo_dgram_send: (path: Ptr, buf: Ptr, len: Int, fd: number) =>
    call(Fn.DGRAM_SEND, path, buf, null, null, len, fd, 0),
  runo_mount_id: (path: Ptr, out: Ptr) => call(Fn.MOUNT_ID, path, out, null, null, 0, 0, 0),
  runo_umount_detach: (path: Ptr) => call(Fn.UMOUNT_DETACH, path, null, null, null, 0, 0, 0),
  runo_send_fd: (sock: number, buf: Ptr, len: Int, fd: number) =>
    call(Fn.SEND_FD, buf, null, null, null, sock, len, fd),
  runo_sched_setaffinity: (pid: number, mask: Ptr, len: Int) =>
    call(Fn.SCHED_SETAFFINITY, mask, null, null, null, pid, len, 0),
  runo_sched_getaffinity: (pid: number, mask: Ptr, len: Int) =>
    call(Fn.SCHED_GETAFFINITY, mask, null, null, null, pid, len, 0),
  runo_set_subreaper: (on: number) => call(Fn.SET_SUBREAPER, null, null, null, null, on, 0, 0),
  runo_netlink_socket: (netnsFd: number) =>
    call(Fn.NETLINK_SOCKET, null, null, null, null, netnsFd, 0, 0),
  runo_seccomp_action_avail: (action: number) =>
    call(Fn.SECCOMP_ACTION_AVAIL, null, null, null, null, action, 0, 0),
  runo_seccomp_flags_known: (flags: number) =>
    call(Fn.SECCOMP_FLAGS_KNOWN, null, null, null, null, flags, 0, 0),
  runo_cgroup_warm_start: (procs: Ptr) =>
    call(Fn.CGROUP_WARM_START, procs, null, null, null, 0, 0, 0),
  runo_cgroup_warm_stop: () => call(Fn.CGROUP_WARM_STOP, null, null, null, null, 0, 0, 0),
  runo_statfs_type: (path: Ptr) => call(Fn.STATFS_TYPE, path, null, null, null, 0, 0, 0),
  runo_bind_tree: (src: Ptr, recursive: number) =>
    call(Fn.BIND_TREE, src, null, null, null, recursive, 0, 0),
  runo_mount: (source: Ptr, target: Ptr, fstype: Ptr, flags: Int, data: Ptr) =>
    call(Fn.MOUNT, source, target, fstype, data, flags, 0, 0),
  runo_umount2: (target: Ptr, flags: number) =>
    call(Fn.UMOUNT2, target, null, null, null, flags, 0, 0),
};

export type NsexecSymbols = typeof SYMBOLS;

let chosenDir: string | undefined;

/**
 * The directory holding libnsexec.so and runo-init, found once (see
 * ffi/libdir.ts for the order) unless set with setLibDir.
 */
export function libDir(): string {
  return chosenDir ??= resolveLibDir();
}

/** Uses dir for libnsexec.so and runo-init (before the library is opened). */
export function setLibDir(dir: string): void {
  if (lib && dir !== chosenDir) {
    throw new Error(`Cannot use ${dir}: libnsexec.so is already loaded from ${chosenDir}`);
  }
  chosenDir = dir;
}

/** The library's functions; the library is opened on the first call. */
export function nsexec(): NsexecSymbols {
  return SYMBOLS;
}

/** Opens libnsexec.so with `table`. */
function bindLibnsexec<const T extends Deno.ForeignLibraryInterface>(
  table: T,
): Deno.DynamicLibrary<T>["symbols"] {
  const path = `${libDir()}/libnsexec.so`;
  try {
    return Deno.dlopen(path, table).symbols;
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) {
      throw new Error(`runo needs --allow-ffi to load ${path}`, { cause: err });
    }
    throw new Error(`Cannot load ${path}: ${(err as Error).message}`, { cause: err });
  }
}
