// Typed wrappers for terminals (c/tty_wrappers.c): window sizes, ONLCR,
// isatty, raw mode. They throw SyscallError.
//
// Permissions: --allow-ffi (plus what libnsexec.ts needs to locate it).

import { nsexec } from "./libnsexec.ts";
import { SyscallError } from "./syscall_error.ts";

function check(rc: number, syscall: string, path?: string): number {
  if (rc < 0) throw new SyscallError(syscall, -rc, { path });
  return rc;
}

export interface WinSize {
  readonly rows: number;
  readonly cols: number;
}

export function setWinSize(fd: number, size: WinSize): void {
  check(nsexec().runo_set_winsize(fd, size.rows, size.cols), "ioctl TIOCSWINSZ");
}

/** The window size of a terminal fd, or null when fd is not a terminal. */
export function getWinSize(fd: number): WinSize | null {
  const out = new Int32Array(2);
  if (nsexec().runo_get_winsize(fd, out) < 0) return null;
  return { rows: out[0], cols: out[1] };
}

/** Output "\n" stays "\n" (no CR added) on this terminal. */
export function clearOnlcr(fd: number): void {
  check(nsexec().runo_tty_clear_onlcr(fd), "tcsetattr (clear ONLCR)");
}

export function isatty(fd: number): boolean {
  return nsexec().runo_isatty(fd) === 1;
}

/**
 * Puts terminal fd in raw mode; the returned restore function puts the old
 * settings back (idempotent).
 */
export function makeRaw(fd: number): () => void {
  const saved = new Uint8Array(256);
  const size = check(nsexec().runo_tty_raw(fd, saved, BigInt(saved.length)), "tcsetattr");
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    nsexec().runo_tty_restore(fd, saved, BigInt(size));
  };
}
