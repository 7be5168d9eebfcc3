// exec's cgroups (lib/process/join_cgroups.ts): the exec'd process joins
// the cgroups the container's state recorded, as runc does, wherever the
// container's init has moved itself since. Checked from the host.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { runningSleeper } from "../fixtures/container.ts";
import { host, requires, type Sandbox, sandbox, stateOf } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/** `exec ARGS` that must succeed; returns stdout. */
async function execOk(sb: Sandbox, args: string[]): Promise<string> {
  const r = await sb.runo(["exec", ...args]);
  assert.equal(r.code, 0, `exec ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

Deno.test({
  name: "exec joins the container's recorded cgroups, not a sub-cgroup its init moved to (as runc)",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const init = (await stateOf(sb, id)).pid;
    // /proc and cgroupfs through a shell: Deno wants --allow-all for them.
    const sh = async (script: string) => {
      const r = await host("/bin/sh", ["-c", script]);
      assert.equal(r.code, 0, `${script}: ${r.stderr}`);
      return r.stdout;
    };
    const pids = /^\d+:pids:(\/.*)$/m.exec(await sh(`cat /proc/${init}/cgroup`));
    assert.ok(pids, "the init is in no pids cgroup");
    const own = `/sys/fs/cgroup/pids${pids[1]}`;
    await sh(`mkdir ${own}/moved && echo ${init} > ${own}/moved/cgroup.procs`);
    try {
      // The move took: the init is below its container's cgroup now.
      assert.match(
        await sh(`cat /proc/${init}/cgroup`),
        new RegExp(`^\\d+:pids:${pids[1]}/moved$`, "m"),
      );
      const inside = await execOk(sb, [id, "cat", "/proc/self/cgroup"]);
      assert.match(inside, new RegExp(`^\\d+:pids:${pids[1]}$`, "m"), inside);
    } finally {
      // Back, so that delete finds the container's cgroup as it made it; the
      // init's children forked meanwhile (its sleeps) too, or the rmdir is EBUSY.
      await sh(
        `echo ${init} > ${own}/cgroup.procs; for p in $(cat ${own}/moved/cgroup.procs); do ` +
          `echo $p > ${own}/cgroup.procs 2>/dev/null || :; done; rmdir ${own}/moved`,
      );
    }
  },
});
