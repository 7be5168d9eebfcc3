// Runs a host program (containerd's publish binary) with bytes on its
// stdin and waits for it through the reaper: Deno.Command's own child
// reaping would race the shim's waitpid(-1).
//
// Permissions: --allow-ffi.

import type { Reaper } from "../ffi/reaper.ts";
import { spawnHook } from "../ffi/hook_spawn.ts";
import { close, exitCodeOf, memfd, O_RDONLY, O_WRONLY, open, writeAll } from "../ffi/syscalls.ts";

export async function runBinary(
  args: string[],
  stdin: Uint8Array,
  reaper: Reaper,
): Promise<number> {
  const data = memfd("runo-shim-stdin");
  let input = -1;
  const nul = open("/dev/null", O_WRONLY);
  try {
    writeAll(data, new Uint8Array(stdin));
    input = open(`/proc/self/fd/${data}`, O_RDONLY);
    const env = Object.entries(Deno.env.toObject()).map(([k, v]) => `${k}=${v}`);
    const pid = spawnHook(args[0], args, env, [input, nul, nul]);
    reaper.kick();
    return exitCodeOf((await reaper.waitFor(pid)).status);
  } finally {
    close(data);
    if (input >= 0) close(input);
    close(nul);
  }
}
