// Test helper: drives runo's cgroup v2 manager on the host's real cgroup2
// tree (the unified mount of this hybrid host) with a child process:
// apply, device filter, freeze/thaw, pids, stats, destroy. Prints one JSON
// line of what it saw. Usage: v2_manager_probe.ts DIR
//
// Permissions: --allow-ffi, --allow-read, --allow-env, --allow-run.

import { recordedCgroupManager } from "../../../lib/cgroups/recorded.ts";
import { normalizeRule } from "../../../lib/cgroups/devices.ts";
import { readKernelFile } from "../../../ffi/kernfs.ts";

const dir = Deno.args[0];
const m = await recordedCgroupManager({ version: 2, paths: { "": dir } });
const child = new Deno.Command("sh", {
  args: [
    "-c",
    'read x; [ "$(head -c1 /dev/zero | wc -c)" = 1 ] && echo zero-ok; echo x >/dev/full; exit 0',
  ],
  stdin: "piped",
  stdout: "piped",
  stderr: "piped",
}).spawn();
const seen: Record<string, unknown> = {};
try {
  m.apply(child.pid);
  seen.procs = readKernelFile(`${dir}/cgroup.procs`).trim();
  seen.warnings = m.set({}, [
    normalizeRule({ allow: false }),
    normalizeRule({ allow: true, type: "c", major: 1, minor: 5, access: "r" }), // zero: read
  ]);
  await m.freeze();
  seen.frozen = m.isFrozen();
  seen.eventsWhileFrozen = readKernelFile(`${dir}/cgroup.events`).trim();
  m.thaw();
  seen.thawed = !m.isFrozen();
  seen.pids = m.pids();
  seen.childPid = child.pid;
  seen.statsCpuUsage = typeof m.stats().cpu.usage.total;
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode("go\n"));
  await w.close();
  const out = await child.output();
  seen.childOut = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  await m.destroy();
} catch (err) {
  seen.error = (err as Error).message;
  try {
    child.kill("SIGKILL");
  } catch {
    // gone
  }
}
console.log(JSON.stringify(seen));
