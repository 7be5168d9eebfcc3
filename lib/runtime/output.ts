// Runtime.output: run a container with its stdout and stderr in temporary
// files, then read them. Files rather than pipes: nothing has to drain a
// pipe while the container runs, and a container that leaves a detached
// child holding the fds cannot make us wait for it.
//
// Permissions: --allow-ffi, --allow-read, --allow-write (temp files).

import type { ContainerOutput, OutputOptions } from "./types.ts";
import { close, O_RDONLY, O_WRONLY, open, write } from "../../ffi/syscalls.ts";

/** Calls run with [stdin, stdout, stderr] fds and collects what it wrote. */
export async function runCollecting(
  options: OutputOptions,
  run: (stdio: readonly [number, number, number]) => Promise<number>,
): Promise<ContainerOutput> {
  const files = [Deno.makeTempFileSync({ prefix: "runo-stdout-" })];
  const fds: number[] = [];
  try {
    files.push(Deno.makeTempFileSync({ prefix: "runo-stderr-" }));
    fds.push(stdinFd(options.stdin, files));
    fds.push(open(files[0], O_WRONLY), open(files[1], O_WRONLY));
    const code = await run([fds[0], fds[1], fds[2]]);
    const decoder = new TextDecoder();
    return {
      code,
      stdout: decoder.decode(Deno.readFileSync(files[0])),
      stderr: decoder.decode(Deno.readFileSync(files[1])),
    };
  } finally {
    for (const fd of fds) close(fd);
    for (const f of files) Deno.removeSync(f);
  }
}

/** /dev/null, or a temp file holding the stdin bytes. */
function stdinFd(stdin: Uint8Array | string | undefined, files: string[]): number {
  if (stdin === undefined) return open("/dev/null", O_RDONLY);
  const file = Deno.makeTempFileSync({ prefix: "runo-stdin-" });
  files.push(file);
  const fd = open(file, O_WRONLY);
  try {
    write(fd, typeof stdin === "string" ? new TextEncoder().encode(stdin) : new Uint8Array(stdin));
  } finally {
    close(fd);
  }
  return open(file, O_RDONLY);
}
