// The Deno.dlopen binding of build/libnsexec.so (c/libnsexec.h), opened
// lazily once. Only ffi/ touches pointers; callers use ffi/syscalls.ts.
//
// Permissions: --allow-ffi, --allow-env (RUNO_LIBDIR), --allow-read.

import { resolveLibDir } from "./libdir.ts";

const SYMBOLS = {
  runo_seal_exe: { parameters: ["buffer"], result: "i32" },
  runo_spawn: { parameters: ["i32", "buffer", "i32", "buffer", "i32"], result: "i32" },
  runo_memfd: { parameters: ["buffer"], result: "i32" },
  runo_socketpair: { parameters: ["buffer"], result: "i32" },
  runo_pipe: { parameters: ["buffer"], result: "i32" },
  runo_send: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  runo_recv: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  runo_recv_async: {
    name: "runo_recv",
    parameters: ["i32", "buffer", "u64"],
    result: "i64",
    nonblocking: true,
  },
  runo_recv_with_fd_async: {
    name: "runo_recv_with_fd",
    parameters: ["i32", "buffer", "u64", "buffer"],
    result: "i64",
    nonblocking: true,
  },
  runo_unix_send_fd: { parameters: ["buffer", "buffer", "u64", "i32"], result: "i64" },
  runo_read: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  runo_read_async: {
    name: "runo_read",
    parameters: ["i32", "buffer", "u64"],
    result: "i64",
    nonblocking: true,
  },
  runo_write: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  runo_open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  runo_close: { parameters: ["i32"], result: "i32" },
  runo_kill: { parameters: ["i32", "i32"], result: "i32" },
  runo_waitpid: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  runo_waitpid_async: {
    name: "runo_waitpid",
    parameters: ["i32", "buffer", "i32"],
    result: "i32",
    nonblocking: true,
  },
  runo_mkfifo: { parameters: ["buffer", "i32"], result: "i32" },
  runo_flock: { parameters: ["i32", "i32"], result: "i32" },
  runo_set_nonblock: { parameters: ["i32"], result: "i32" },
  runo_await_fifo: { parameters: ["buffer", "i32"], result: "i32" },
  runo_read_file: { parameters: ["buffer", "buffer", "u64"], result: "i64" },
  runo_mkdir: { parameters: ["buffer", "i32"], result: "i32" },
  runo_rmdir: { parameters: ["buffer"], result: "i32" },
  runo_bpf: { parameters: ["i32", "buffer", "u32"], result: "i64" },
  runo_list_subdirs: { parameters: ["buffer", "buffer", "u64"], result: "i64" },
  runo_spawn_hook: {
    parameters: ["buffer", "buffer", "buffer", "i32", "buffer", "i32"],
    result: "i32",
  },
} as const satisfies Deno.ForeignLibraryInterface;

export type NsexecSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let symbols: NsexecSymbols | undefined;

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
  if (symbols && dir !== chosenDir) {
    throw new Error(`Cannot use ${dir}: libnsexec.so is already loaded from ${chosenDir}`);
  }
  chosenDir = dir;
}

/** The library's symbols; opens it on first use. */
export function nsexec(): NsexecSymbols {
  return symbols ??= bindLibnsexec(SYMBOLS);
}

/**
 * Opens libnsexec.so with just `table`. Deno compiles a trampoline per
 * symbol at dlopen (~0.2 ms each), so a module that needs a few symbols on
 * a hot path (kernfs.ts: every `state` and `list`) binds its own table.
 */
export function bindLibnsexec<const T extends Deno.ForeignLibraryInterface>(
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
