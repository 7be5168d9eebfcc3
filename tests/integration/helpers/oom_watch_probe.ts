// Test helper: runo's v2 OOM watch (inotify IN_MODIFY on a cgroup2 file
// and a counter read after each wake) on DIR/cgroup.events, whose
// "populated" field stands in for memory.events' oom_kill (this host's
// unified tree has no memory controller). A shell joins DIR after the
// wait has begun; prints JSON {mask, rise, ms}.
// Usage: deno run --allow-ffi --allow-read --allow-env --allow-run oom_watch_probe.ts DIR
//
// Permissions: --allow-ffi, --allow-read, --allow-env, --allow-run.

import { watchOom } from "../../../lib/cgroups/oom_watch.ts";
import { pollReadable } from "../../../ffi/event_fds.ts";
import { readKernelFile } from "../../../ffi/kernfs.ts";

const [dir] = Deno.args;
const file = `${dir}/cgroup.events`;
const populated = () => Number(/^populated (\d)$/m.exec(readKernelFile(file))![1]);
using w = watchOom({ kind: "inotify", file }, populated);
const t0 = performance.now();
const waiting = pollReadable([w.fd], 5000);
const child = new Deno.Command("sh", {
  args: ["-c", `sleep 0.3; echo $$ > ${dir}/cgroup.procs; sleep 0.5`],
}).spawn();
const mask = await waiting;
const ms = Math.round(performance.now() - t0);
const rise = w.take();
await child.status;
console.log(JSON.stringify({ mask, rise, ms }));
