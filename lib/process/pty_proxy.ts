// Foreground `run -t` / `exec -t` without a console socket: runo is the
// terminal's other end. Its own terminal goes raw (the container's pty
// does the line discipline), stdin is copied to the master and the master
// to stdout, window size changes follow SIGWINCH, and the terminal is
// restored however the proxy ends.
//
// Permissions: --allow-ffi.

import { close, writeAll } from "../../ffi/syscalls.ts";
import { eventfd, readUnlessStopped, signalEventfd } from "../../ffi/event_fds.ts";
import { clearOnlcr, getWinSize, isatty, makeRaw, setWinSize } from "../../ffi/tty.ts";

export interface PtyProxy {
  /** Resolves when the master reports EOF/EIO (every slave fd closed). */
  readonly output: Promise<void>;
  /** Waits up to `ms` for the output to drain, then restores the terminal. */
  finish(ms: number): Promise<void>;
}

/**
 * Copies from → to until EOF, an error (EIO on a master once the slave is
 * gone) or `stop` becomes readable. It waits in poll(2) on both, never in a
 * read(2) that nothing could end: a read left pending on a worker thread
 * would leak in a library caller and can crash Deno when the process exits.
 */
async function pump(from: number, to: number, stop: number): Promise<void> {
  const buf = new Uint8Array(32 * 1024);
  for (;;) {
    let n: number | null;
    try {
      n = await readUnlessStopped(from, stop, buf);
    } catch {
      return;
    }
    if (!n) return; // stopped or EOF
    try {
      writeAll(to, buf.subarray(0, n));
    } catch {
      return;
    }
  }
}

/** Starts proxying between runo's stdio and `master` (which it then owns). */
export function startPtyProxy(master: number): PtyProxy {
  // As runc's foreground tty: our side is raw, so the container's "\n"
  // must not become "\r\n" on the way (console-socket receivers get the
  // pty as the kernel made it, as from runc).
  clearOnlcr(master);
  const restore = isatty(0) ? makeRaw(0) : () => {};
  const resize = () => {
    const size = getWinSize(0) ?? getWinSize(1);
    if (size && size.rows > 0 && size.cols > 0) setWinSize(master, size);
  };
  resize();
  Deno.addSignalListener("SIGWINCH", resize);
  const stop = eventfd();
  const input = pump(0, master, stop);
  const output = pump(master, 1, stop);
  let finished = false;
  return {
    output,
    async finish(ms: number) {
      if (finished) return;
      finished = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([output, new Promise((r) => timer = setTimeout(r, ms))]);
      } finally {
        clearTimeout(timer);
        Deno.removeSignalListener("SIGWINCH", resize);
        signalEventfd(stop);
        await Promise.all([input, output]);
        restore();
        close(master);
        close(stop);
      }
    },
  };
}
