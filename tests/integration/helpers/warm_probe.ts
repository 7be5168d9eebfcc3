// A process that keeps the cgroup migration lock warm (lib/cgroups/prime.ts)
// for tests/integration/cgroup_warm_test.ts: `file PATH` warms with PATH
// standing in for its own cgroup.procs, `own` with its real one. Prints
// "started <procs file> <its hierarchy>", then answers each line of stdin: "cgroup" with
// its /proc/self/cgroup on one line, "stop" by ending the warming and
// exiting.
//
// Permissions: --allow-ffi, --allow-read, --allow-env.

import { primeCgroupMoves, warmOwnCgroupMoves } from "../../../lib/cgroups/prime.ts";
import { readKernelFile } from "../../../ffi/kernfs.ts";
import { cgroupLayout, ownProcsFile } from "../../../lib/cgroups/layout.ts";
import { hostMounts } from "../../../lib/mounts/host_mounts.ts";

const [mode, path] = Deno.args;
let procs: string | undefined;
let mountpoint: string | undefined;
let warm: Disposable;
if (mode === "file") {
  procs = path;
  warm = primeCgroupMoves(() => path);
} else {
  const own = readKernelFile("/proc/self/cgroup");
  const layout = cgroupLayout(hostMounts(), own);
  procs = ownProcsFile(layout, own);
  mountpoint = layout.v1[0]?.mountpoint ?? layout.unified?.mountpoint;
  warm = warmOwnCgroupMoves();
}
console.log(`started ${procs} ${mountpoint}`);
const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
let pending = "";
for await (const chunk of lines) {
  pending += chunk;
  let nl;
  while ((nl = pending.indexOf("\n")) >= 0) {
    const cmd = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (cmd === "cgroup") {
      console.log(readKernelFile("/proc/self/cgroup").trim().replaceAll("\n", " "));
    }
    if (cmd === "stop") {
      warm[Symbol.dispose]();
      console.log("stopped");
      Deno.exit(0);
    }
  }
}
