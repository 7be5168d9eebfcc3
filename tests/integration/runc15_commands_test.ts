// runc 1.5's update, events, exec and run additions on real containers,
// checked from inside (the container's cgroup mount shows its own cgroup):
// per-device blkio through `update -r`, --cpu-burst, --cpu-idle, the
// kernel memory flags' warning, the Intel RDT flags and intelRdt without
// resctrl (this machine has none), `events --stats`' cpuset, per-CPU and
// network parts, `exec --cgroup`, and `run`'s subreaper. runc 1.1.5 has
// the kernel memory warning, the RDT refusals, exec --cgroup and
// --no-subreaper; what it lacks is asserted as it is under RUNO_BIN=runc.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { running, SLEEPER } from "../fixtures/container.ts";
import {
  host,
  isRunc,
  oneLineError,
  requires,
  runoBin,
  sandbox,
  uniqueId,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");
/**
 * runo differs on purpose from runc 1.1.5, which lacks update's per-device
 * blkio throttles (runc >= 1.4) and --cpu-burst/--cpu-idle (runc >= 1.2):
 * under runc, what 1.1.5 does instead is asserted.
 */
const old = isRunc();

async function sleeper(edit?: (c: Config) => void) {
  const sb = await sandbox();
  const bundle = await createBundle({ args: SLEEPER, config: edit });
  const id = await running(sb, bundle);
  const inside = async (...args: string[]) => {
    const r = await sb.runo(["exec", id, ...args]);
    assert.equal(r.code, 0, `exec ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim();
  };
  return {
    sb,
    id,
    bundle,
    inside,
    async [Symbol.asyncDispose]() {
      await sb.cleanup();
      await bundle.cleanup();
    },
  };
}

/** The first block device of the host as [major, minor] (from /sys/block/NAME/dev). */
async function blockDevice(): Promise<[number, number]> {
  const r = await host("sh", ["-c", "cat /sys/block/*/dev | grep -v '^7:' | head -n1"]);
  const m = /^(\d+):(\d+)$/.exec(r.stdout.trim());
  assert.ok(m, `no block device: ${r.stdout}`);
  return [Number(m[1]), Number(m[2])];
}

Deno.test({
  name: "update -r sets per-device blkio throttles; a second device keeps the first",
  ...needs,
  async fn() {
    await using c = await sleeper();
    const [major, minor] = await blockDevice();
    const dev = `${major}:${minor}`;
    const first = { blockIO: { throttleReadBpsDevice: [{ major, minor, rate: 1048576 }] } };
    let r = await c.sb.runo(["update", "-r", "-", c.id], { stdin: JSON.stringify(first) });
    assert.equal(r.code, 0, r.stderr);
    if (old) {
      // runc 1.1.5 takes blockIO.weight only: the throttle is dropped, silently.
      const bps = await c.inside("cat", "/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device");
      assert.equal(bps, "");
      return;
    }
    const second = {
      blockIO: {
        throttleWriteIOPSDevice: [{ major, minor, rate: 300 }],
        throttleReadBpsDevice: [{ major, minor, rate: 2097152 }],
      },
    };
    r = await c.sb.runo(["update", "-r", "-", c.id], { stdin: JSON.stringify(second) });
    assert.equal(r.code, 0, r.stderr);
    const blkio = "/sys/fs/cgroup/blkio";
    assert.equal(
      await c.inside("cat", `${blkio}/blkio.throttle.read_bps_device`),
      `${dev} 2097152`,
    );
    assert.equal(await c.inside("cat", `${blkio}/blkio.throttle.write_iops_device`), `${dev} 300`);
    // runo's record: one entry per device, the latest rate (runc's upsert).
    const state = JSON.parse(await Deno.readTextFile(`${c.sb.root}/${c.id}/state.json`));
    assert.deepEqual(state.config.linux.resources.blockIO.throttleReadBpsDevice, [
      { major, minor, rate: 2097152 },
    ]);
  },
});

Deno.test({
  name: "update --cpu-burst and --cpu-idle reach cpu.cfs_burst_us and cpu.idle",
  ...needs,
  async fn() {
    await using c = await sleeper();
    const r = await c.sb.runo(["update", "--cpu-burst", "2000", "--cpu-idle", "1", c.id]);
    if (old) {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /flag provided but not defined: -cpu-burst/);
      return;
    }
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await c.inside("cat", "/sys/fs/cgroup/cpu/cpu.cfs_burst_us"), "2000");
    assert.equal(await c.inside("cat", "/sys/fs/cgroup/cpu/cpu.idle"), "1");
    const bad = await c.sb.runo(["update", "--cpu-burst", "-5", c.id]);
    assert.notEqual(bad.code, 0);
    assert.match(oneLineError(bad.stderr), /cpu-burst/);
  },
});

Deno.test({
  name: "update --kernel-memory warns as runc and changes nothing",
  ...needs,
  async fn() {
    await using c = await sleeper();
    const before = await c.inside("cat", "/sys/fs/cgroup/memory/memory.kmem.limit_in_bytes");
    const r = await c.sb.runo([
      "update",
      "--kernel-memory",
      "10m",
      "--kernel-memory-tcp",
      "1m",
      c.id,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Kernel memory settings are ignored and will be removed/);
    assert.equal(await c.inside("cat", "/sys/fs/cgroup/memory/memory.kmem.limit_in_bytes"), before);
  },
});

Deno.test({
  name:
    "without resctrl: intelRdt is refused at create, the RDT update flags in one line (runc's words)",
  ...needs,
  async fn() {
    const resctrl = await host("grep", ["-qw", "resctrl", "/proc/self/mountinfo"]);
    assert.notEqual(resctrl.code, 0, "this test is for a host without resctrl");
    await using c = await sleeper();
    const l3 = await c.sb.runo(["update", "--l3-cache-schema", "L3:0=f", c.id]);
    assert.notEqual(l3.code, 0);
    assert.match(l3.stderr, /Intel RDT\/CAT: l3 cache schema is not enabled/);
    const mb = await c.sb.runo(["update", "--mem-bw-schema", "MB:0=20", c.id]);
    assert.notEqual(mb.code, 0);
    assert.match(mb.stderr, /Intel RDT\/MBA: memory bandwidth schema is not enabled/);
    // runc 1.1.5 refuses a schema; a bare closID it runs silently, the flaw
    // this refusal exists for: runo refuses both.
    const configs = isRunc()
      ? [{ l3CacheSchema: "L3:0=f" }]
      : [{ l3CacheSchema: "L3:0=f" }, { closID: "x" }];
    for (const intelRdt of configs) {
      await using bundle = await createBundle({
        args: SLEEPER,
        config: (cfg) => cfg.linux!.intelRdt = intelRdt,
      });
      const id = c.sb.track(uniqueId());
      const r = await c.sb.runo(["run", "-d", "-b", bundle.dir, id]);
      assert.notEqual(r.code, 0, `never a silent run: ${JSON.stringify(intelRdt)}`);
      assert.match(
        oneLineError(r.stderr.replace(/^.*level=error msg="Intel RDT.*$/m, "")),
        /Intel RDT/,
      );
      assert.equal((await c.sb.runo(["state", id])).code, 1, "nothing left");
    }
    if (isRunc()) {
      // runo differs on purpose (above): runc 1.1.5 runs the bare closID.
      await using bundle = await createBundle({
        args: SLEEPER,
        config: (cfg) => cfg.linux!.intelRdt = { closID: "x" },
      });
      const r = await c.sb.runo(["run", "-d", "-b", bundle.dir, c.sb.track(uniqueId())]);
      assert.equal(r.code, 0, r.stderr);
    }
  },
});

Deno.test({
  name: "events --stats has runc's cpuset, per-CPU kernel/user time, kernelTCP and network parts",
  ...needs,
  async fn() {
    await using c = await sleeper();
    const r = await c.sb.runo(["events", "--stats", c.id]);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout).data;
    const cpus = await c.inside("cat", "/sys/fs/cgroup/cpuset/cpuset.cpus");
    assert.equal(d.cpuset.cpus.length, cpus === "0" ? 1 : cpus.split(/[-,]/).length);
    assert.equal(d.cpu.usage.percpu_kernel.length, d.cpu.usage.percpu.length);
    assert.equal(d.cpu.usage.percpu_user.length, d.cpu.usage.percpu.length);
    assert.equal(typeof d.memory.kernelTCP.limit, "number");
    assert.deepEqual(d.intel_rdt, {});
    assert.ok("network_interfaces" in d);
    if (!isRunc()) {
      // runo: the container's own namespace, loopback left out (runc: null).
      assert.deepEqual(d.network_interfaces, []);
    }
  },
});

Deno.test({
  name:
    "exec --cgroup puts the process in an existing sub-cgroup; a missing or climbing one, or an unknown controller, is refused",
  ...needs,
  async fn() {
    await using c = await sleeper((cfg) => cfg.linux!.cgroupsPath = `/runo-parity-${uniqueId()}`);
    const path = `/sys/fs/cgroup/pids${c.bundle.config.linux!.cgroupsPath}`;
    assert.equal((await host("mkdir", [`${path}/sub`])).code, 0);
    try {
      const r = await c.sb.runo(["exec", "--cgroup", "pids:sub", c.id, "cat", "/proc/self/cgroup"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /pids:\/sub$|pids:.*\/sub$/m);
      assert.match(
        r.stdout,
        /memory:\/$|memory:.*parity[^/]*$/m,
        "other controllers: the container's",
      );
      const missing = await c.sb.runo(["exec", "--cgroup", "pids:nope", c.id, "true"]);
      assert.notEqual(missing.code, 0);
      assert.match(oneLineError(missing.stderr), /nope/);
      const climb = await c.sb.runo(["exec", "--cgroup", "../..", c.id, "true"]);
      assert.notEqual(climb.code, 0);
      // runc's own tests (exec.bats): a controller the container has no
      // hierarchy for is refused, not ignored; the process never runs.
      const unknown = await c.sb.runo(["exec", "--cgroup", "whaaat:/", c.id, "echo", "ran"]);
      assert.notEqual(unknown.code, 0, "an unknown controller was accepted");
      assert.match(oneLineError(unknown.stderr), /unknown controller whaaat/);
      assert.equal(unknown.stdout, "");
    } finally {
      await c.sb.runo(["delete", "--force", c.id]);
      await host("rmdir", [`${path}/sub`, path]);
    }
  },
});

Deno.test({
  name: "run is a child subreaper in the foreground; --no-subreaper turns it off",
  ...needs,
  async fn() {
    // No pid namespace: a double-forked process is reparented on the host.
    await using bundle = await createBundle({
      args: [
        "sh",
        "-c",
        "(sleep 5 & echo $! >/dev/shm/orphan); sleep 0.5; grep PPid /proc/$(cat /dev/shm/orphan)/status",
      ],
      config: (cfg) =>
        cfg.linux!.namespaces = cfg.linux!.namespaces!.filter((n) => n.type !== "pid"),
    });
    await using sb = await sandbox();
    for (const flags of [[], ["--no-subreaper"]]) {
      const id = sb.track(uniqueId());
      const child = new Deno.Command(runoBin(), {
        args: ["--root", sb.root, "run", ...flags, "-b", bundle.dir, id],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const out = await child.output();
      const ppid = Number(/PPid:\s*(\d+)/.exec(new TextDecoder().decode(out.stdout))?.[1]);
      assert.ok(ppid > 0, new TextDecoder().decode(out.stderr));
      if (flags.length === 0) assert.equal(ppid, child.pid, "the orphan is runo's");
      else assert.notEqual(ppid, child.pid, "not runo's with --no-subreaper");
    }
  },
});
