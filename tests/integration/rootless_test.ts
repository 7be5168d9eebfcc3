// Rootless: runo run by an unprivileged user (runotest) on a config from
// its own `runo spec --rootless`. Checked from inside the container (ids,
// /proc/self/uid_map, setgroups) and from the host (state under
// $XDG_RUNTIME_DIR/runo, no cgroup made, owners of files the container
// wrote, nothing left after a refused create).
//
// Permissions: read, write, run, env. Needs root (to create the user).

import assert from "node:assert/strict";
import { exists, host, isRunc, requires, uniqueId } from "../fixtures/runo.ts";
import { rootlessUser } from "./helpers/rootless_user.ts";
import { hostExists, hostSh } from "./helpers/userns.ts";

const needs = requires("root", "busybox", "cli");
/** The state root under $XDG_RUNTIME_DIR: named after the runtime (runc's: runc). */
const ROOT_NAME = isRunc() ? "runc" : "runo";

function sh(script: string) {
  return ["sh", "-c", script];
}

Deno.test({
  name: "rootless: spec --rootless runs as the user, root inside mapped to the user's uid",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    // As is, except a terminal (the test has none) and what to print.
    const b = await user.bundle({
      args: sh(
        "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; ls -n /etc/passwd",
      ),
    });
    const id = uniqueId();
    const r = await user.runo(["run", "-b", b.dir, id]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " "));
    assert.deepEqual(lines.slice(0, 5), [
      "0",
      "0",
      `0 ${user.uid} 1`,
      `0 ${user.gid} 1`,
      "deny", // a gid map written by an unprivileged user needs it
    ]);
    // The bundle's files (the user's) are root's inside.
    assert.match(lines[5], /^-\S+ \d+ 0 0 /);
    assert.equal(r.stderr, "");
    assert.ok(!(await exists(`${user.xdg}/${ROOT_NAME}/${id}`)), "state left after run");
  },
});

Deno.test({
  name: "rootless: state under $XDG_RUNTIME_DIR/runo, no cgroup made, delete cleans up",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    const b = await user.bundle({ args: ["sleep", "30"] });
    const id = uniqueId();
    const c = await user.runo(["create", "-b", b.dir, id]);
    assert.equal(c.code, 0, c.stderr);
    try {
      const stat = await Deno.stat(`${user.xdg}/${ROOT_NAME}/${id}/state.json`);
      assert.equal(stat.uid, user.uid);
      const st = JSON.parse((await user.runo(["state", id])).stdout);
      assert.equal(st.status, "created");
      const list = await user.runo(["list", "-q"]);
      assert.equal(list.stdout.trim(), id);
      // runc's rootless rule: no cgroup where the user cannot write.
      for (const ctrl of ["pids", "memory", "cpu", "unified"]) {
        assert.ok(!(await hostExists(`/sys/fs/cgroup/${ctrl}/${id}`)), `cgroup made in ${ctrl}`);
      }
      const cg = await hostSh(`cat /proc/${st.pid}/cgroup`);
      assert.ok(!cg.includes(id), cg);
      // Nothing of its own to freeze: pause says so, in one line.
      assert.equal((await user.runo(["start", id])).code, 0);
      const p = await user.runo(["pause", id]);
      assert.notEqual(p.code, 0);
      assert.match(
        p.stderr,
        isRunc() // after a warning line that pause may fail
          ? /level=error msg="cannot toggle freezer: cgroups not configured for container"\n$/
          : /^runo: [^\n]*cannot pause container [^\n]*no cgroup of its own[^\n]*\n$/,
      );
    } finally {
      const d = await user.runo(["delete", "--force", id]);
      assert.equal(d.code, 0, d.stderr);
    }
    assert.ok(!(await exists(`${user.xdg}/${ROOT_NAME}/${id}`)), "state left after delete");
  },
});

Deno.test({
  name:
    "rootless: several ranges through newuidmap/newgidmap; a non-root user's files are subordinate ids",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    const b = await user.bundle({
      args: sh("id -u; id -g; cat /proc/self/uid_map /proc/self/setgroups; touch /tmp/made"),
      config: (c) => {
        c.linux!.uidMappings = [
          { containerID: 0, hostID: user.uid, size: 1 },
          { containerID: 1, hostID: 100000, size: 65536 },
        ];
        c.linux!.gidMappings = [
          { containerID: 0, hostID: user.gid, size: 1 },
          { containerID: 1, hostID: 100000, size: 65536 },
        ];
        c.root!.readonly = false;
        c.process!.user = { uid: 1000, gid: 1000 };
      },
    });
    await Deno.chmod(`${b.rootfs}/tmp`, 0o1777);
    const r = await user.runo(["run", "-b", b.dir, uniqueId()]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " "));
    assert.deepEqual(lines, [
      "1000",
      "1000",
      `0 ${user.uid} 1`,
      "1 100000 65536",
      "allow", // newgidmap wrote the gid map: setgroups stays allowed
    ]);
    const made = await Deno.stat(`${b.rootfs}/tmp/made`);
    assert.deepEqual([made.uid, made.gid], [100000 + 999, 100000 + 999]);
  },
});

Deno.test({
  name: "rootless: a config without a user namespace is refused in one line, nothing left",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    const b = await user.bundle({
      config: (c) => {
        c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== "user");
        delete c.linux!.uidMappings;
        delete c.linux!.gidMappings;
      },
    });
    const id = uniqueId();
    const r = await user.runo(["run", "-b", b.dir, id]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      isRunc()
        ? 'time="' + /time="([^"]*)"/.exec(r.stderr)?.[1] + '" level=error ' +
          'msg="runc run failed: rootless container requires user namespaces"'
        : "runo: config.json: /linux/namespaces: a rootless container needs a user namespace: " +
          'add {"type": "user"} with linux.uidMappings and linux.gidMappings',
    );
    assert.ok(!(await exists(`${user.xdg}/${ROOT_NAME}/${id}`)));
  },
});

Deno.test({
  name: "rootless: a mount that needs host privilege is refused before anything is made",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    // A fresh sysfs needs CAP_SYS_ADMIN over the (host's) network namespace.
    let sys = -1;
    const b = await user.bundle({
      config: (c) => {
        sys = c.mounts!.findIndex((m) => m.destination === "/sys");
        c.mounts![sys] = {
          destination: "/sys",
          type: "sysfs",
          source: "sysfs",
          options: ["nosuid", "noexec", "nodev", "ro"],
        };
      },
    });
    const id = uniqueId();
    const r = await user.runo(["run", "-b", b.dir, id]);
    assert.equal(r.code, 1);
    if (isRunc()) {
      // runc 1.1.5 tries it in its init (EPERM), after a warning line: nothing is left either.
      assert.match(
        r.stderr,
        /error mounting \\"sysfs\\" to rootfs at \\"\/sys\\".*operation not permitted/,
      );
    } else {
      assert.match(
        r.stderr.trim(),
        new RegExp(
          `^runo: config.json: /mounts/${sys}: a rootless container cannot mount a new sysfs`,
        ),
      );
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    assert.ok(!(await exists(`${user.xdg}/${ROOT_NAME}/${id}`)));
  },
});

Deno.test({
  name: "--rootless takes auto, true or false only",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    const r = await user.runo(["--rootless", "maybe", "list"]);
    if (isRunc()) {
      // runo differs on purpose: a bad global flag is refused whatever the command;
      // runc 1.1.5 parses --rootless only when it makes a cgroup manager (not for list).
      assert.equal(r.code, 0, r.stderr);
      return;
    }
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid --rootless value "maybe": use true, false or auto/);
  },
});

Deno.test({
  name: "rootless: exec joins the container's user namespace (it has no cgroup of its own to join)",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    const b = await user.bundle({ args: ["sleep", "30"] });
    const id = uniqueId();
    const r = await user.runo(["run", "-d", "-b", b.dir, id]);
    assert.equal(r.code, 0, r.stderr);
    try {
      const e = await user.runo(["exec", id, "sh", "-c", "id -u; cat /proc/self/uid_map"]);
      assert.equal(e.code, 0, e.stderr);
      const lines = e.stdout.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " "));
      assert.deepEqual(lines, ["0", `0 ${user.uid} 1`]);
    } finally {
      await user.runo(["delete", "--force", id]);
    }
  },
});

Deno.test({
  name: "rootless: in a delegated cgroup subtree the container gets cgroups and limits of its own",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    const parent = `runo-deleg-${uniqueId()}`;
    // Every hierarchy (and the unified tree), each with a subtree the user owns.
    const dirs = (await hostSh(
      `for h in /sys/fs/cgroup/*/; do [ -e "$h/cgroup.procs" ] && echo "\${h%/}/${parent}"; done`,
    )).trim().split("\n");
    try {
      await hostSh(
        dirs.map((d) => `mkdir ${d}`).join(" && ") +
          ` && for f in cpus mems; do cat /sys/fs/cgroup/cpuset/cpuset.$f >/sys/fs/cgroup/cpuset/${parent}/cpuset.$f; done` +
          ` && chown -R ${user.uid}:${user.gid} ${dirs.join(" ")}`,
      );
      const b = await user.bundle({
        args: sh("cat /sys/fs/cgroup/pids/pids.max; grep pids /proc/self/cgroup"),
        config: (c) => {
          c.linux!.cgroupsPath = `/${parent}/ctr`;
          c.linux!.resources = { pids: { limit: 20 } };
        },
      });
      const r = await user.runo(["run", "-b", b.dir, uniqueId()], { cgroups: dirs });
      assert.equal(r.code, 0, r.stderr);
      const [max, cg] = r.stdout.trim().split("\n");
      assert.equal(max, "20", "pids limit seen inside");
      assert.match(cg, new RegExp(`^\\d+:pids:/${parent}/ctr$`));
      assert.ok(!(await hostExists(`/sys/fs/cgroup/pids/${parent}/ctr`)), "cgroup left after run");
    } finally {
      await host("/bin/sh", [
        "-c",
        `for d in ${dirs.join(" ")}; do rmdir $d/ctr $d; done 2>/dev/null`,
      ]);
    }
  },
});

Deno.test({
  name: "rootless: spec --rootless runs unedited (terminal: true) under a pty",
  ...needs,
  async fn() {
    await using user = await rootlessUser();
    const b = await user.bundle();
    const r = await user.runo(["run", "-b", b.dir, uniqueId()], {
      // script(1) gives runo the terminal the config asks for.
      stdin: "id -u; tty; cat /proc/self/uid_map; exit\n",
      pty: true,
    });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.replace(/\r/g, "");
    assert.match(out, /^0$/m);
    assert.match(out, /^\/dev\/pts\/0$/m);
    assert.match(out, new RegExp(`^\\s*0\\s+${user.uid}\\s+1$`, "m"));
  },
});
