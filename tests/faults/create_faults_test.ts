// kill -9 of runo at each step of create (RUNO_FAULT, lib/process/fault.ts),
// as an OOM kill or a crashed engine would: afterwards `delete --force`,
// or the next `create` of the same id, leaves no process, cgroup, mount or
// state file behind. And an init that dies before it execs the container
// program is reported with its reason.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import {
  exists,
  host,
  oneLineError,
  requires,
  type Sandbox,
  sandbox,
  stateOf,
  uniqueId,
  waitFor,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

const POINTS = ["dir", "bootstrap", "stages", "ready", "state"] as const;

/** Pids whose cgroup paths name the container id (its cgroups are /<id>). */
async function processesOf(id: string): Promise<string[]> {
  const r = await host("/bin/sh", [
    "-c",
    `grep -l -- "/${id}\\$" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3`,
  ]);
  return r.stdout.split("\n").filter((l) => l !== "" && l !== "self");
}

/** cgroup directories named after the id, in every hierarchy. */
async function cgroupsOf(id: string): Promise<string[]> {
  const r = await host("/bin/sh", [
    "-c",
    `find /sys/fs/cgroup -maxdepth 3 -type d -name '${id}' 2>/dev/null`,
  ]);
  return r.stdout.split("\n").filter((l) => l !== "");
}

async function mountsOf(path: string): Promise<string[]> {
  const r = await host("cat", ["/proc/self/mountinfo"]);
  return r.stdout.split("\n").filter((l) => l.includes(path));
}

async function assertNothingLeft(sb: Sandbox, id: string, rootfs: string, what: string) {
  // The killed init is reaped by our subreaper-less host's init: wait for it.
  const gone = await waitFor(async () => (await processesOf(id)).length === 0, 5000);
  assert.ok(gone, `${what}: processes left: ${await processesOf(id)}`);
  assert.deepEqual(await cgroupsOf(id), [], `${what}: cgroups left`);
  assert.deepEqual(await mountsOf(rootfs), [], `${what}: host mounts left`);
  assert.ok(!(await exists(`${sb.root}/${id}`)), `${what}: state dir left`);
}

for (const point of POINTS) {
  Deno.test({
    name: `kill -9 of runo at '${point}' during create: delete --force cleans everything`,
    ...needs,
    async fn() {
      await using sb = await sandbox();
      await using b = await createBundle({ args: ["sleep", "30"] });
      const id = sb.track(uniqueId("f"));
      const r = await sb.runo(["create", "-b", b.dir, id], { env: { RUNO_FAULT: point } });
      assert.equal(r.code, 137, `runo was not killed at '${point}': ${r.code} ${r.stderr}`);
      const alive = await processesOf(id);
      const d = await sb.runo(["delete", "--force", id]);
      // With no state.json left, delete --force still cleans up, quietly.
      assert.equal(d.code, 0, `delete --force after '${point}': ${d.stderr}`);
      await assertNothingLeft(sb, id, b.rootfs, `after '${point}'`);
      console.log(`'${point}': ${alive.length} container process(es) alive after the kill`);
    },
  });
}

Deno.test({
  name:
    "kill -9 of runo at 'state' during create: the next create of the id is refused or cleans up; delete --force cleans everything",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["sleep", "30"] });
    const id = sb.track(uniqueId("f"));
    const r = await sb.runo(["create", "-b", b.dir, id], { env: { RUNO_FAULT: "state" } });
    assert.equal(r.code, 137);
    const orphan = await processesOf(id);
    assert.equal(orphan.length, 1, "the init waits on the fifo, orphaned");
    const again = await sb.runo(["create", "-b", b.dir, id]);
    if (again.code === 0) {
      const st = await stateOf(sb, id);
      assert.equal(st.status, "created");
      assert.deepEqual(await processesOf(id), [String(st.pid)], "the orphan was not killed");
    } else {
      // Refusing is also sound, if it says so in one line and cleans nothing
      // half: delete --force must then clean all.
      oneLineError(again.stderr);
      console.log(`second create refused: ${again.stderr.trim()}`);
    }
    assert.equal((await sb.runo(["delete", "--force", id])).code, 0);
    await assertNothingLeft(sb, id, b.rootfs, "after the second create");
  },
});

Deno.test({
  name: "an init killed before it execs the container program is reported by start with its reason",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["sleep", "30"] });
    const id = sb.track(uniqueId("f"));
    assert.equal((await sb.runo(["create", "-b", b.dir, id])).code, 0);
    const { pid } = await stateOf(sb, id);
    await host("kill", ["-9", String(pid)]);
    await waitFor(async () => (await processesOf(id)).length === 0, 5000);
    const s = await sb.runo(["start", id]);
    assert.notEqual(s.code, 0, "start of a dead init succeeded");
    const line = oneLineError(s.stderr);
    assert.match(line, /stopped|not running|exited|cannot start/i, line);
    assert.equal((await stateOf(sb, id)).status, "stopped");
    assert.equal((await sb.runo(["delete", id])).code, 0);
    await assertNothingLeft(sb, id, b.rootfs, "after delete");
  },
});

for (const point of ["ready", "state"] as const) {
  Deno.test({
    name:
      `no mount namespace, kill -9 of runo at '${point}': delete --force detaches the init's rootfs bind on the host`,
    ...needs,
    async fn() {
      await using sb = await sandbox();
      await using b = await createBundle({
        args: ["sleep", "30"],
        config: (c) => {
          c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== "mount");
          delete c.linux!.maskedPaths; // refused without a mount namespace (runc too)
          delete c.linux!.readonlyPaths;
        },
      });
      const id = sb.track(uniqueId("f"));
      try {
        const r = await sb.runo(["create", "-b", b.dir, id], { env: { RUNO_FAULT: point } });
        assert.equal(r.code, 137, `runo was not killed at '${point}': ${r.code} ${r.stderr}`);
        // The set-up took effect: the init bound the rootfs in the host's table.
        assert.ok((await mountsOf(b.rootfs)).length > 0, "no host mount to clean up");
        assert.equal((await sb.runo(["delete", "--force", id])).code, 0);
        await assertNothingLeft(sb, id, b.rootfs, `after '${point}'`);
      } finally {
        for (const line of (await mountsOf(b.rootfs)).toReversed()) {
          await host("umount", ["-l", line.split(" ")[4]]);
        }
      }
    },
  });
}
