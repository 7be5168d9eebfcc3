// --systemd-cgroup against a real systemd: `systemd --user` started by
// tests/fixtures/systemd.ts (this host was not booted with systemd), which
// runo reaches through $DBUS_SYSTEM_BUS_ADDRESS, on the manager's private
// socket (peer to peer) and through the session bus it socket-activates
// (dbus-daemon: Hello, AddMatch). Checked from systemd's side (systemctl
// show), from the host (/proc/<pid>/cgroup) and from inside the container.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import {
  host,
  hostHas,
  isRunc,
  oneLineError,
  requires,
  sandbox,
  uniqueId,
} from "../fixtures/runo.ts";
import { dirExists } from "../fixtures/cgroups.ts";
import { SLEEPER } from "../fixtures/container.ts";
import { startSystemd, type SystemdManager, systemdNeed } from "../fixtures/systemd.ts";

// runc (libcontainer's IsRunningSystemd) takes --systemd-cgroup only on a host
// booted with systemd, whatever the bus address says: "systemd not running
// on this host, cannot use systemd cgroups manager".
const runcNeed = isRunc()
  ? hostHas(
    "test -d /run/systemd/system",
    "needs, under runc, a host booted with systemd (/run/systemd/system)",
  )
  : { met: true, reason: "" };
const needs = requires("root", "busybox", "cli", systemdNeed(), runcNeed);

/** `systemctl --user show -p … unit` as a map. */
async function show(sd: SystemdManager, unit: string, props: string[]) {
  const r = await sd.systemctl(["show", ...props.flatMap((p) => ["-p", p]), unit]);
  return Object.fromEntries(
    r.stdout.trim().split("\n").map((
      l,
    ) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

function limits(path: string) {
  return (c: Config) => {
    c.linux!.cgroupsPath = path;
    c.linux!.resources = {
      ...c.linux!.resources,
      memory: { limit: 64 << 20 },
      pids: { limit: 42 },
      cpu: { quota: 50000, period: 100000 },
    };
  };
}

Deno.test({
  name: "systemd: --systemd-cgroup against a real systemd manager",
  ...needs,
  async fn(t) {
    const started = await startSystemd();
    // The host has what the manager needs (systemdNeed): not starting is a failure.
    if (typeof started === "string") throw new Error(`systemd did not start: ${started}`);
    await using sd = started;
    const viaPrivate = { DBUS_SYSTEM_BUS_ADDRESS: sd.privateAddress };

    await t.step("run -d: the init is in the scope systemd made, with its limits", async () => {
      await using sb = await sandbox();
      const id = sb.track(uniqueId());
      const unit = `runo-${id}.scope`;
      await using bundle = await createBundle({
        args: SLEEPER,
        config: limits(`runotest-a.slice:runo:${id}`),
      });
      const r = await sb.runo(["--systemd-cgroup", "run", "-d", "-b", bundle.dir, id], {
        env: viaPrivate,
      });
      assert.equal(r.code, 0, r.stderr);
      const state = JSON.parse(await Deno.readTextFile(`${sb.root}/${id}/state.json`));
      assert.deepEqual(state.cgroup.systemd, {
        unit,
        socket: `${sd.runtimeDir}/systemd/private`,
        bus: false,
      });
      const cgroup = `${sd.cgroup}/runotest.slice/runotest-a.slice/${unit}`;
      const props = await show(sd, unit, [
        "ActiveState",
        "ControlGroup",
        "Delegate",
        "TasksMax",
        "MemoryLimit",
        "CPUQuotaPerSecUSec",
        "DefaultDependencies",
      ]);
      assert.deepEqual(props, {
        ActiveState: "active",
        ControlGroup: cgroup,
        Delegate: "yes",
        TasksMax: "42",
        MemoryLimit: String(64 << 20),
        CPUQuotaPerSecUSec: "500ms",
        DefaultDependencies: "no",
      });
      const onHost = await host("cat", [`/proc/${state.pid}/cgroup`]);
      assert.match(onHost.stdout, new RegExp(`^\\d+:name=systemd:${cgroup}$`, "m"));
      assert.match(onHost.stdout, new RegExp(`^\\d+:memory:${cgroup}$`, "m"));
      const inside = await sb.runo([
        "exec",
        id,
        "sh",
        "-c",
        "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max" +
        " /sys/fs/cgroup/cpu/cpu.cfs_quota_us; grep name=systemd /proc/self/cgroup",
      ]);
      assert.equal(inside.code, 0, inside.stderr);
      const lines = inside.stdout.trim().split("\n");
      assert.deepEqual(lines.slice(0, 3), [String(64 << 20), "42", "50000"]);
      assert.match(lines[3], new RegExp(`^\\d+:name=systemd:${cgroup}$`));
      // update: the unit's properties (SetUnitProperties) and the files.
      const up = await sb.runo(["update", "--pids-limit", "50", "--memory", "96m", id]);
      assert.equal(up.code, 0, up.stderr);
      assert.deepEqual(await show(sd, unit, ["TasksMax", "MemoryLimit"]), {
        TasksMax: "50",
        MemoryLimit: String(96 << 20),
      });
      const after = await sb.runo([
        "exec",
        id,
        "cat",
        "/sys/fs/cgroup/pids/pids.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
      ]);
      assert.deepEqual(after.stdout.trim().split("\n"), ["50", String(96 << 20)]);
      // pause and resume go through the cgroupfs freezer of the same paths.
      assert.equal((await sb.runo(["pause", id])).code, 0);
      assert.equal(JSON.parse((await sb.runo(["state", id])).stdout).status, "paused");
      assert.equal((await sb.runo(["resume", id])).code, 0);
      const del = await sb.runo(["delete", "--force", id]);
      assert.equal(del.code, 0, del.stderr);
      assert.equal((await show(sd, unit, ["LoadState"])).LoadState, "not-found");
      for (const [key, dir] of Object.entries(state.cgroup.paths as Record<string, string>)) {
        assert.equal(await dirExists(dir), false, `${key || "unified"} cgroup ${dir} left`);
      }
    });

    await t.step("run through the session bus (dbus-daemon: Hello, AddMatch)", async () => {
      await using sb = await sandbox();
      const id = sb.track(uniqueId());
      await using bundle = await createBundle({
        args: ["sh", "-c", "grep -E 'name=systemd|:pids:' /proc/self/cgroup"],
        config: limits(""),
      });
      const r = await sb.runo(["--systemd-cgroup", "run", "-b", bundle.dir, id], {
        env: { DBUS_SYSTEM_BUS_ADDRESS: sd.busAddress },
      });
      assert.equal(r.code, 0, r.stderr);
      // The default: system.slice, runo-<id>.scope.
      const cgroup = `${sd.cgroup}/system.slice/runo-${id}.scope`;
      assert.match(r.stdout, new RegExp(`^\\d+:name=systemd:${cgroup}$`, "m"));
      assert.match(r.stdout, new RegExp(`^\\d+:pids:${cgroup}$`, "m"));
      assert.equal((await show(sd, `runo-${id}.scope`, ["LoadState"])).LoadState, "not-found");
      assert.equal(await dirExists(`/sys/fs/cgroup/pids${cgroup}`), false);
    });

    await t.step("a name ending in .slice makes a slice; the init joins its cgroup", async () => {
      await using sb = await sandbox();
      const id = sb.track(uniqueId());
      const slice = `runotest-s${Deno.pid}.slice`;
      await using bundle = await createBundle({
        args: ["grep", "-E", "name=systemd|:memory:", "/proc/self/cgroup"],
        config: limits(`system.slice:x:${slice}`),
      });
      const r = await sb.runo(["--systemd-cgroup", "run", "-b", bundle.dir, id], {
        env: viaPrivate,
      });
      assert.equal(r.code, 0, r.stderr);
      const cgroup = `${sd.cgroup}/runotest.slice/${slice}`;
      assert.match(r.stdout, new RegExp(`^\\d+:name=systemd:${cgroup}$`, "m"));
      assert.match(r.stdout, new RegExp(`^\\d+:memory:${cgroup}$`, "m"));
      // Stopped (a slice stays active without processes); systemd unloads it later.
      assert.equal((await show(sd, slice, ["ActiveState"])).ActiveState, "inactive");
      assert.equal(await dirExists(`/sys/fs/cgroup/memory${cgroup}`), false);
    });

    await t.step("a live unit of the same name is refused in one line, nothing left", async () => {
      await using sb = await sandbox();
      const first = sb.track(uniqueId());
      const second = sb.track(uniqueId());
      const path = `runotest.slice:dup:${first}`;
      await using bundle = await createBundle({ args: SLEEPER, config: limits(path) });
      const a = await sb.runo(["--systemd-cgroup", "run", "-d", "-b", bundle.dir, first], {
        env: viaPrivate,
      });
      assert.equal(a.code, 0, a.stderr);
      const b = await sb.runo(["--systemd-cgroup", "create", "-b", bundle.dir, second], {
        env: viaPrivate,
        reap: true,
      });
      assert.notEqual(b.code, 0);
      assert.match(oneLineError(b.stderr), new RegExp(`dup-${first}\\.scope.*already exists`));
      assert.deepEqual(b.orphans, []);
      assert.equal((await host("test", ["-e", `${sb.root}/${second}`])).code, 1);
      // The first container and its unit are untouched.
      assert.equal((await show(sd, `dup-${first}.scope`, ["ActiveState"])).ActiveState, "active");
      assert.equal((await sb.runo(["delete", "--force", first])).code, 0);
      assert.equal((await show(sd, `dup-${first}.scope`, ["LoadState"])).LoadState, "not-found");
    });

    await t.step(
      "no manager at the address: one line naming the socket, nothing left",
      async () => {
        await using sb = await sandbox();
        const id = sb.track(uniqueId());
        await using bundle = await createBundle({ args: ["true"] });
        const r = await sb.runo(["--systemd-cgroup", "create", "-b", bundle.dir, id], {
          env: { DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${sd.runtimeDir}/nothing` },
          reap: true,
        });
        assert.notEqual(r.code, 0);
        assert.match(
          oneLineError(r.stderr),
          new RegExp(`^.*Cannot use --systemd-cgroup: .*${sd.runtimeDir}/nothing: .*ENOENT`),
        );
        assert.deepEqual(r.orphans, []);
        assert.equal((await host("test", ["-e", `${sb.root}/${id}`])).code, 1);
      },
    );
  },
});
