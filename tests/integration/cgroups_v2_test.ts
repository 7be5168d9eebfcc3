// The cgroup v2 pieces on the cgroup2 tree of a hybrid host (its
// "unified" hierarchy), driven by helper programs that call lib/cgroups
// directly: the device filter loaded with bpf(2) and replaced, the OOM
// watch on a cgroup2 file, and the v2 manager end to end.
//
// Permissions: read, write, run, env. Needs root and a cgroup2 mount at
// /sys/fs/cgroup/unified.

import assert from "node:assert/strict";
import { host, REPO_ROOT, requires, uniqueId } from "../fixtures/runo.ts";
import { dirExists, hostRead, UNIFIED, unifiedNeed } from "../fixtures/cgroups.ts";

const needsUnified = requires("root", "busybox", "cli", unifiedNeed());

Deno.test({
  name:
    "cgroup v2 device filter: loaded with bpf(2) into the unified tree, it refuses blocked devices",
  ...needsUnified,
  async fn() {
    const dir = `${UNIFIED}/runo-bpf-${uniqueId()}`;
    assert.equal((await host("mkdir", [dir])).code, 0);
    try {
      const rules = [
        { allow: false, type: "a", major: -1, minor: -1, access: "rwm" },
        { allow: true, type: "c", major: 1, minor: 3, access: "rwm" }, // null
        { allow: true, type: "c", major: 1, minor: 5, access: "r" }, // zero, read only
      ];
      const deno = Deno.execPath();
      const helper = `${REPO_ROOT}/tests/integration/helpers/attach_device_filter.ts`;
      const load = await host(deno, [
        "run",
        "--no-prompt",
        "--allow-ffi",
        "--allow-read",
        "--allow-env",
        helper,
        dir,
        JSON.stringify(rules),
      ]);
      assert.equal(load.code, 0, load.stderr);
      const r = await host("sh", [
        "-c",
        `echo $$ > ${dir}/cgroup.procs; ` +
        "echo x > /dev/null && echo null=ok; " +
        "head -c1 /dev/zero >/dev/null && echo zero-read=ok; " +
        "(echo x > /dev/zero) 2>&1; head -c1 /dev/urandom 2>&1 >/dev/null; true",
      ]);
      assert.match(r.stdout, /^null=ok$/m);
      assert.match(r.stdout, /^zero-read=ok$/m);
      assert.match(r.stdout, /\/dev\/zero: Operation not permitted/);
      assert.match(r.stdout, /\/dev\/urandom.*Operation not permitted/);
    } finally {
      await host("rmdir", [dir]);
    }
  },
});

Deno.test({
  name:
    "cgroup v2 device filter update: the new program replaces the old one in the unified tree (deny, then allow /dev/null)",
  ...needsUnified,
  async fn() {
    const dir = `${UNIFIED}/runo-bpfup-${uniqueId()}`;
    assert.equal((await host("mkdir", [dir])).code, 0);
    try {
      const helper = `${REPO_ROOT}/tests/integration/helpers/attach_device_filter.ts`;
      const perms = ["--allow-ffi", "--allow-read", "--allow-env"];
      const attach = async (rules: unknown[], ...flags: string[]) => {
        const r = await host(Deno.execPath(), [
          "run",
          "--no-prompt",
          ...perms,
          helper,
          ...flags,
          dir,
          JSON.stringify(rules),
        ]);
        assert.equal(r.code, 0, r.stderr);
        return r.stdout.trim();
      };
      const probe = async () =>
        (await host("sh", [
          "-c",
          `echo $$ > ${dir}/cgroup.procs; (echo x > /dev/null) 2>&1 && echo null=ok; ` +
          "head -c1 /dev/zero | wc -c",
        ])).stdout;
      const base = [
        { allow: false, type: "a", major: -1, minor: -1, access: "rwm" },
        { allow: true, type: "c", major: 1, minor: 3, access: "rwm" },
        { allow: true, type: "c", major: 1, minor: 5, access: "rwm" },
      ];
      assert.equal(await attach(base), "attached 1");
      assert.match(await probe(), /^null=ok$/m);
      const deny = [...base, { allow: false, type: "c", major: 1, minor: 3, access: "rw" }];
      assert.equal(await attach(deny), "attached 1", "the old program stays attached");
      const denied = await probe();
      assert.match(denied, /\/dev\/null: Operation not permitted/);
      assert.match(denied, /^1$/m, "/dev/zero must stay readable");
      assert.equal(await attach(base), "attached 1");
      assert.match(await probe(), /^null=ok$/m);
      // Several programs there (another attacher's): the new one goes in, then all old ones out.
      assert.equal(await attach(base, "--add"), "attached 2");
      assert.equal(await attach(deny), "attached 1");
      assert.match(await probe(), /\/dev\/null: Operation not permitted/);
    } finally {
      await host("rmdir", [dir]);
    }
  },
});

Deno.test({
  name:
    "v2 OOM watch: inotify on a cgroup2 file of the unified tree wakes the poll when its counter rises",
  ...needsUnified,
  async fn() {
    const dir = `${UNIFIED}/runo-oomw-${uniqueId()}`;
    assert.equal((await host("mkdir", [dir])).code, 0);
    try {
      const helper = `${REPO_ROOT}/tests/integration/helpers/oom_watch_probe.ts`;
      const perms = ["--allow-ffi", "--allow-read", "--allow-env", "--allow-run"];
      const r = await host(Deno.execPath(), ["run", "--no-prompt", ...perms, helper, dir]);
      assert.equal(r.code, 0, r.stderr);
      const seen = JSON.parse(r.stdout);
      assert.equal(seen.mask, 1, "the poll timed out instead of waking");
      assert.equal(seen.rise, 1);
      // Woken by the join (after 0.3 s), long before the 5 s timeout.
      assert.ok(seen.ms >= 250 && seen.ms < 2000, `woke after ${seen.ms} ms`);
    } finally {
      await host("rmdir", [dir]);
    }
  },
});

Deno.test({
  name:
    "cgroup v2 manager on the real unified tree: join, device filter, freeze via cgroup.freeze, pids, rmdir",
  ...needsUnified,
  async fn() {
    const root = UNIFIED;
    const dir = `${root}/runo-v2-${uniqueId()}`;
    // apply() delegates the root's controllers to its children, as runc: undone after.
    const before = await hostRead(`${root}/cgroup.subtree_control`);
    const helper = `${REPO_ROOT}/tests/integration/helpers/v2_manager_probe.ts`;
    const perms = ["--allow-ffi", "--allow-read", "--allow-env", "--allow-run"];
    try {
      const r = await host(Deno.execPath(), ["run", "--no-prompt", ...perms, helper, dir]);
      assert.equal(r.code, 0, r.stderr);
      const seen = JSON.parse(r.stdout);
      assert.equal(seen.error, undefined, seen.error);
      assert.equal(seen.procs, String(seen.childPid));
      assert.deepEqual(seen.warnings, []);
      assert.equal(seen.frozen, true);
      assert.match(seen.eventsWhileFrozen, /^frozen 1$/m);
      assert.equal(seen.thawed, true);
      assert.deepEqual(seen.pids, [seen.childPid]);
      assert.equal(seen.statsCpuUsage, "number");
      assert.match(seen.childOut, /^zero-ok$/m);
      assert.match(seen.childOut, /\/dev\/full: Operation not permitted/);
      assert.equal(await dirExists(dir), false, "destroy left the cgroup");
    } finally {
      await host("rmdir", [dir]);
      const after = await hostRead(`${root}/cgroup.subtree_control`);
      const added = after.split(/\s+/).filter((c) => c && !before.split(/\s+/).includes(c));
      if (added.length) {
        await host("sh", [
          "-c",
          `echo ${added.map((c) => `-${c}`).join(" ")} > ${root}/cgroup.subtree_control`,
        ]);
      }
    }
  },
});
