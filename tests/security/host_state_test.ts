// The state runo keeps on the host (issue 15, item 8): runo makes every
// entry under --root itself, so an entry that is a symlink is refused; and
// the cgroup paths state.json records must be on a cgroup file system
// before runo writes or kills through them (a tampered record once made
// `delete --force` SIGKILL an unrelated process listed in a fake
// cgroup.procs); likewise the resctrl groups of intelRdt must be on
// resctrl (exec writes a pid into <group>/tasks, delete removes it).
//
// Each test shows its set-up took effect first (the symlink resolves to a
// real state, the fake cgroup.procs lists the decoy, the decoy runs).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { running, SLEEPER } from "../fixtures/container.ts";
import {
  host,
  isRunc,
  oneLineError,
  processAlive,
  requires,
  sandbox,
  stateOf,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

Deno.test({
  name: "a container entry or state.json under --root that is a symlink is refused",
  ...needs,
  async fn() {
    await using real = await sandbox();
    await using b = await createBundle({ args: SLEEPER });
    const id = await running(real, b);
    await using other = await sandbox();
    await using third = await sandbox();
    // <other>/<id> -> the real entry; <third>/<id>/state.json -> the real state.
    await Deno.symlink(`${real.root}/${id}`, `${other.root}/${id}`);
    await Deno.mkdir(`${third.root}/${id}`);
    await Deno.symlink(`${real.root}/${id}/state.json`, `${third.root}/${id}/state.json`);
    for (const sb of [other, third]) {
      // Set-up: through the link, the real container's state is readable.
      assert.ok((await Deno.readTextFile(`${sb.root}/${id}/state.json`)).includes(id));
      for (const args of [["state", id], ["kill", id, "KILL"], ["delete", "--force", id]]) {
        const r = await sb.runo(args);
        const line = `${args[0]} under ${sb === other ? "a symlinked entry" : "a symlinked state"}`;
        if (isRunc()) {
          // runc refuses both too, as "container does not exist" (so
          // delete --force succeeds, deleting nothing).
          assert.equal(r.code, args[0] === "delete" ? 0 : 1, `${line}: ${r.stderr}`);
          continue;
        }
        if (args[0] === "delete" && sb === third) {
          // --force: a state it cannot read is a crashed create's leftovers:
          // the directory (runo's own, not the link's target) goes.
          assert.equal(r.code, 0, `${line}: ${r.stderr}`);
          continue;
        }
        assert.equal(r.code, 1, `${line}: ${r.stdout}`);
        assert.match(oneLineError(r.stderr), /is a symlink, which runo never makes under --root/);
      }
    }
    // list reports the symlinked entry instead of showing its target's state.
    const list = await other.runo(["list", "-q"]);
    assert.equal(list.stdout.trim(), "", "the linked container is not listed");
    if (!isRunc()) assert.match(list.stderr, /skipping .*is a symlink/);
    // The real container was never touched through either link.
    assert.equal((await stateOf(real, id)).status, "running");
    assert.ok((await Deno.lstat(`${real.root}/${id}/state.json`)).isFile);
  },
});

Deno.test({
  name: "delete --force, kill --all and exec of a tampered cgroup record touch nothing outside it",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: SLEEPER });
    const id = await running(sb, b);
    const decoy = new Deno.Command("sleep", { args: ["1000"] }).spawn();
    const fake = await Deno.makeTempDir({ prefix: "runo-fake-cgroup-" });
    const stateFile = `${sb.root}/${id}/state.json`;
    const original = await Deno.readTextFile(stateFile);
    try {
      for (const f of ["cgroup.procs", "tasks"]) {
        await Deno.writeTextFile(`${fake}/${f}`, `${decoy.pid}\n`);
      }
      // Aim every recorded cgroup directory at the fake one.
      const state = JSON.parse(original);
      const key = isRunc() ? "cgroup_paths" : "cgroup";
      const paths = isRunc() ? state.cgroup_paths : state.cgroup.paths;
      for (const k of Object.keys(paths)) paths[k] = fake;
      assert.ok(Object.keys(paths).length > 0, `no cgroup paths in ${key}`);
      await Deno.writeTextFile(stateFile, JSON.stringify(state));
      // Set-up: the decoy runs, and the record now lists it.
      assert.ok(await processAlive(decoy.pid), "the decoy runs");
      assert.equal((await Deno.readTextFile(`${fake}/cgroup.procs`)).trim(), String(decoy.pid));
      const r = await sb.runo(["delete", "--force", id]);
      assert.ok(await processAlive(decoy.pid), `delete --force killed the decoy: ${r.stderr}`);
      // What follows is runo's own refusal; runc 1.1.5 kills only the init (by
      // pid), fails to rmdir the fake (not empty) and deletes the container.
      if (isRunc()) {
        assert.equal(r.code, 0, r.stderr);
        return;
      }
      assert.equal(r.code, 1);
      const fsType = (await host("stat", ["-f", "-c", "%t", fake])).stdout.trim();
      assert.equal(
        oneLineError(r.stderr),
        `runo: refusing the recorded cgroup "${fake}": not on a cgroup file system ` +
          `(statfs f_type 0x${fsType})`,
      );
      assert.equal((await stateOf(sb, id)).status, "running", "refused before the init was killed");
      const all = await sb.runo(["kill", "--all", id, "KILL"]);
      assert.equal(all.code, 1, "kill --all through the fake record is refused too");
      assert.ok(await processAlive(decoy.pid));
      // exec joins the recorded cgroups: it writes no pid through the fake ones.
      const exec = await sb.runo(["exec", id, "true"]);
      assert.equal(exec.code, 255, exec.stderr);
      assert.match(oneLineError(exec.stderr), /refusing the recorded cgroup/);
      assert.equal((await Deno.readTextFile(`${fake}/cgroup.procs`)).trim(), String(decoy.pid));
    } finally {
      await Deno.writeTextFile(stateFile, original).catch(() => {});
      decoy.kill("SIGKILL");
      await decoy.status;
      await Deno.remove(fake, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "a tampered resctrl record (intelRdt) is refused by exec and delete --force, the decoy kept",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: SLEEPER });
    const id = await running(sb, b);
    // An empty directory: the rmdir a tampered record would aim at it succeeds.
    const decoy = await Deno.makeTempDir({ prefix: "runo-fake-resctrl-" });
    const stateFile = `${sb.root}/${id}/state.json`;
    const original = await Deno.readTextFile(stateFile);
    try {
      const state = JSON.parse(original);
      // runc 1.1 keeps the group's path as intel_rdt_path; runo a record.
      if (isRunc()) state.intel_rdt_path = decoy;
      else state.intelRdt = { path: decoy, monPath: decoy, created: true, shared: false };
      await Deno.writeTextFile(stateFile, JSON.stringify(state));
      assert.ok(
        (await Deno.readTextFile(stateFile)).includes(decoy),
        "set-up: the record names the decoy",
      );
      const ex = await sb.runo(["exec", id, "true"]);
      const del = await sb.runo(["delete", "--force", id]);
      assert.ok((await Deno.stat(decoy)).isDirectory, `the decoy was removed: ${del.stderr}`);
      if (isRunc()) return; // runc's manager exists only for a config with intelRdt
      const fsType = (await host("stat", ["-f", "-c", "%t", decoy])).stdout.trim();
      const refusal = `runo: refusing the recorded resctrl group "${decoy}": not on resctrl ` +
        `(statfs f_type 0x${fsType})`;
      assert.equal(ex.code, 255, ex.stderr);
      assert.equal(oneLineError(ex.stderr), refusal);
      assert.equal(del.code, 1);
      assert.equal(oneLineError(del.stderr), refusal);
      assert.equal((await stateOf(sb, id)).status, "running", "refused before the init was killed");
    } finally {
      await Deno.writeTextFile(stateFile, original).catch(() => {});
      await Deno.remove(decoy, { recursive: true }).catch(() => {});
    }
  },
});
