// Runtime.output and execOutput: run with stdout and stderr in memfds,
// then read them. Memory files rather than pipes: nothing has to drain a
// pipe while the container runs, and a container that leaves a detached
// child holding the fds cannot make us wait for it. Rather than temporary
// files: nothing to clean up, and no --allow-read/--allow-write of a
// temporary directory a program did not mean to grant.
//
// Permissions: --allow-ffi.

import type { ContainerOutput } from "./types.ts";
import { close, memfd, O_RDONLY, open, read, writeAll } from "../../ffi/syscalls.ts";

/** Calls run with [stdin, stdout, stderr] fds and collects what it wrote. */
export async function runCollecting(
  stdin: Uint8Array | string | undefined,
  run: (stdio: readonly [number, number, number]) => Promise<number>,
): Promise<ContainerOutput> {
  const fds: number[] = [];
  try {
    fds.push(stdinFd(stdin), memfd("runo-stdout"), memfd("runo-stderr"));
    const code = await run([fds[0], fds[1], fds[2]]);
    return { code, stdout: readBack(fds[1]), stderr: readBack(fds[2]) };
  } finally {
    for (const fd of fds) close(fd);
  }
}

/** /dev/null, or a memfd holding the stdin bytes, opened anew at offset 0. */
function stdinFd(stdin: Uint8Array | string | undefined): number {
  if (stdin === undefined) return open("/dev/null", O_RDONLY);
  const fd = memfd("runo-stdin");
  try {
    writeAll(
      fd,
      typeof stdin === "string" ? new TextEncoder().encode(stdin) : new Uint8Array(stdin),
    );
    return reopen(fd);
  } finally {
    close(fd);
  }
}

/** A new open file of the memfd, so reading starts at offset 0. */
function reopen(fd: number): number {
  return open(`/proc/self/fd/${fd}`, O_RDONLY);
}

/** Everything written to the memfd, as UTF-8. */
function readBack(fd: number): string {
  const file = reopen(fd);
  try {
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (let n = read(file, buf); n > 0; n = read(file, buf)) chunks.push(buf.slice(0, n));
    const decoder = new TextDecoder();
    return chunks.map((c, i) => decoder.decode(c, { stream: i < chunks.length - 1 })).join("");
  } finally {
    close(file);
  }
}
