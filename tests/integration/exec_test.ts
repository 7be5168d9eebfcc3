// exec: a new process in a running container, checked from inside it
// (/proc/self/status, id, pwd, env) and from the host (namespaces and
// cgroups of the exec'd process against the container's init).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { runningSleeper } from "../fixtures/container.ts";
import {
  host,
  isRunc,
  oneLineError,
  requires,
  type Sandbox,
  sandbox,
  stateOf,
  waitFor,
  waitStatus,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/** `exec ARGS` that must succeed; returns stdout. */
async function execOk(sb: Sandbox, args: string[]): Promise<string> {
  const r = await sb.runo(["exec", ...args]);
  assert.equal(r.code, 0, `exec ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** `exec -d --pid-file` of ARGS that must succeed; returns the process's pid. */
async function execDetached(sb: Sandbox, id: string, args: string[]): Promise<number> {
  const pidFile = `${sb.root}/exec.pid`;
  await execOk(sb, ["-d", "--pid-file", pidFile, id, ...args]);
  return Number((await Deno.readTextFile(pidFile)).trim());
}

function statusField(status: string, field: string): string {
  const m = new RegExp(`^${field}:\\s*(.*)$`, "m").exec(status);
  assert.ok(m, `no ${field} in /proc/self/status:\n${status}`);
  return m[1].trim();
}

Deno.test({
  name: "exec runs id as the config's user and returns the exit code",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    assert.equal((await execOk(sb, [id, "id"])).trim(), "uid=0(root) gid=0(root)");
    assert.equal((await sb.runo(["exec", id, "sh", "-c", "exit 7"])).code, 7);
    // killed by a signal: 128+n, as a shell reports it
    assert.equal((await sb.runo(["exec", id, "sh", "-c", "kill -9 $$"])).code, 137);
    // flags stop at the program: -c and the rest belong to sh
    assert.equal(
      (await execOk(sb, ["-e", "X=1", id, "sh", "-c", 'echo "$0 $1 $X"', "a", "b"])).trim(),
      "a b 1",
    );
  },
});

Deno.test({
  name: "exec takes capabilities, no_new_privs and rlimits from the container's config",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb, (c) => {
      c.process!.rlimits = [{ type: "RLIMIT_NOFILE", soft: 333, hard: 444 }];
    });
    await using _b = bundle;
    const status = await execOk(sb, [id, "cat", "/proc/self/status"]);
    // CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29)
    const caps = (1n << 5n) | (1n << 10n) | (1n << 29n);
    for (const f of ["CapBnd", "CapEff", "CapPrm"]) {
      assert.equal(BigInt(`0x${statusField(status, f)}`), caps, f);
    }
    assert.equal(statusField(status, "NoNewPrivs"), "1");
    // runo differs on purpose: runc 1.1.5 races its prlimit of an exec'd
    // process with the Go runtime's raising of the soft RLIMIT_NOFILE to the
    // hard one (Go >= 1.19), and mostly loses (444/444); runc 1.1.13 and 1.2
    // fixed it (opencontainers/runc#4195), giving the config's 333.
    const nofile = isRunc() ? /^(333|444)\n444\n$/ : /^333\n444\n$/;
    assert.match(await execOk(sb, [id, "sh", "-c", "ulimit -n; ulimit -Hn"]), nofile);
    // --cap adds to the config's sets; --no-new-privs=false turns NNP off
    const more = await execOk(sb, [
      "--cap",
      "CAP_SYS_ADMIN",
      "--no-new-privs=false",
      id,
      "cat",
      "/proc/self/status",
    ]);
    assert.equal(BigInt(`0x${statusField(more, "CapEff")}`), caps | (1n << 21n));
    assert.equal(statusField(more, "NoNewPrivs"), "0");
  },
});

Deno.test({
  name: "exec --user, --additional-gids, --cwd and --env; HOME from the container's passwd",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const script = 'id; pwd; echo "$FOO|$BAR|$HOME"';
    // runo differs on purpose: the short and long forms of a flag are one
    // flag (-g/--additional-gids, -e/--env); runc 1.1.5's CLI library
    // refuses a mix ("Cannot use two forms of the same flag: e env").
    const [gids, env] = isRunc() ? ["-g", "-e"] : ["--additional-gids", "--env"];
    if (isRunc()) {
      const mixed = await sb.runo(["exec", "-e", "A=1", "--env", "B=2", id, "true"]);
      assert.notEqual(mixed.code, 0);
      assert.match(mixed.stderr, /Cannot use two forms of the same flag: e env/);
    }
    const out = await execOk(sb, [
      "-u",
      "1000:1000",
      "-g",
      "5",
      `${gids}=65534`,
      "--cwd",
      "/tmp",
      "-e",
      "FOO=1",
      env,
      "BAR=2",
      id,
      "sh",
      "-c",
      script,
    ]);
    assert.equal(
      out,
      "uid=1000(alice) gid=1000(alice) groups=5(tty),65534(nogroup)\n/tmp\n1|2|/home/alice\n",
    );
    const bad = await sb.runo(["exec", "-u", "mallory", id, "true"]);
    assert.notEqual(bad.code, 0);
    if (isRunc()) {
      // runc's --user takes only numbers: "parsing mallory as int for uid failed".
      assert.match(oneLineError(bad.stderr), /parsing mallory as int/);
    } else {
      assert.match(oneLineError(bad.stderr), /unable to find user mallory/);
      // runo's own: a name resolves in the container's /etc/passwd, with its group
      assert.equal(
        (await execOk(sb, ["-u", "alice", id, "id"])).trim(),
        "uid=1000(alice) gid=1000(alice)",
      );
      assert.equal((await execOk(sb, ["-u", "alice:tty", id, "id", "-g"])).trim(), "5");
    }
  },
});

Deno.test({
  name: "exec joins every namespace and cgroup of the container's init",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const pid = await execDetached(sb, id, ["sleep", "30"]);
    const init = (await stateOf(sb, id)).pid;
    const links = (p: number) =>
      host("/bin/sh", [
        "-c",
        `for n in pid net ipc uts mnt user cgroup; do readlink /proc/${p}/ns/$n; done; cat /proc/${p}/cgroup`,
      ]);
    const [mine, theirs] = [await links(pid), await links(init)];
    assert.equal(mine.code, 0, mine.stderr);
    assert.equal(mine.stdout, theirs.stdout);
    // seen from inside: not pid 1, and pid 1 is the container's init
    const inside = await execOk(sb, [
      id,
      "sh",
      "-c",
      "echo $$; cat /proc/1/cmdline | tr '\\0' ' '",
    ]);
    assert.match(inside, /^\d+\nsh -c trap/);
    assert.notEqual(inside.split("\n")[0], "1");
    await host("kill", ["-9", String(pid)]);
  },
});

Deno.test({
  name: "exec resolves a hostile /etc/passwd symlink inside the rootfs",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb, undefined, async (b) => {
      // Followed on the host, this would read the host's /etc/shadow.
      await Deno.writeTextFile(`${b.rootfs}/etc/shadow`, "root:x:0:0:root:/inside:/bin/sh\n");
      await Deno.remove(`${b.rootfs}/etc/passwd`);
      await Deno.symlink("../../../../../../etc/shadow", `${b.rootfs}/etc/passwd`);
    });
    await using _b = bundle;
    assert.equal((await execOk(sb, [id, "sh", "-c", "echo $HOME"])).trim(), "/inside");
    // runo's own: -u by name (runc's --user takes only numbers).
    const user = isRunc() ? "0" : "root";
    assert.equal(
      (await execOk(sb, ["-u", user, id, "sh", "-c", "echo $HOME"])).trim(),
      "/inside",
    );
  },
});

Deno.test({
  name: "exec --process reads a process.json; the config fills in what it leaves out",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const file = `${sb.root}/process.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        user: { uid: 1000, gid: 1000 },
        args: ["sh", "-c", 'id -u; pwd; echo "$P"; grep NoNewPrivs /proc/self/status'],
        env: ["P=from-file", "PATH=/bin"],
        cwd: "/tmp",
      }),
    );
    // runo differs on purpose (security): a file that leaves noNewPrivileges
    // out keeps the container's no_new_privs; runc 1.1.5 reads the missing
    // field as false (newProcess: &p.NoNewPrivileges) and lifts it.
    const nnp = isRunc() ? "0" : "1";
    assert.equal(
      await execOk(sb, ["--process", file, id]),
      `1000\n/tmp\nfrom-file\nNoNewPrivs:\t${nnp}\n`,
    );
    await Deno.writeTextFile(file, JSON.stringify({ user: { uid: 0, gid: 0 }, args: [] }));
    const bad = await sb.runo(["exec", "--process", file, id]);
    assert.notEqual(bad.code, 0);
    const line = oneLineError(bad.stderr);
    if (!isRunc()) assert.match(line, /process\.json/); // runc: "Cwd property must not be empty"
  },
});

Deno.test({
  name: "exec --process needs only args and cwd: no user runs as 0:0 (runc's zero value)",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const file = `${sb.root}/process.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({ args: ["/bin/sh", "-c", "id -u; id -g; pwd"], cwd: "/tmp" }),
    );
    assert.equal(await execOk(sb, ["--process", file, id]), "0\n0\n/tmp\n");
    await Deno.writeTextFile(file, JSON.stringify({ cwd: "/" }));
    const bad = await sb.runo(["exec", "--process", file, id], { reap: true });
    assert.notEqual(bad.code, 0, "a process.json without args must fail");
    if (!isRunc()) assert.match(oneLineError(bad.stderr), /process\.json: \/args/);
    assert.deepEqual(bad.orphans, []);
  },
});

Deno.test({
  name:
    "exec of a missing program or into a stopped container fails in one line and leaves nothing",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const missing = await sb.runo(["exec", id, "no-such-program"], { reap: true });
    assert.notEqual(missing.code, 0);
    assert.match(oneLineError(missing.stderr), /no-such-program.*not found/);
    assert.deepEqual(missing.orphans, []);
    const none = await sb.runo(["exec", "no-such-container", "true"]);
    assert.notEqual(none.code, 0);
    oneLineError(none.stderr);
    assert.equal((await sb.runo(["kill", id, "KILL"])).code, 0);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
    const stopped = await sb.runo(["exec", id, "true"], { reap: true });
    assert.notEqual(stopped.code, 0);
    assert.match(oneLineError(stopped.stderr), /stopped/);
    assert.deepEqual(stopped.orphans, []);
  },
});

Deno.test({
  name: "exec's flag errors name the flag",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    // runo's words, then runc's for the same error (a one-line error both).
    for (
      const [args, re, runc] of [
        [["--preserve-fds", "x", id, "true"], /--preserve-fds/, /for flag -preserve-fds/],
        [["-g", "abc", id, "true"], /additional-gids/, /for flag -g/],
        [[id], /requires a command/, /process args cannot be empty/],
        [["--tty", "--detach", id, "true"], /tty/, /cannot allocate tty/],
        [["--console-socket", "/no-such.sock", id, "true"], /console socket/, /use console socket/],
      ] as const
    ) {
      const r = await sb.runo(["exec", ...args]);
      assert.notEqual(r.code, 0, `exec ${args.join(" ")} succeeded`);
      assert.match(oneLineError(r.stderr), isRunc() ? runc : re);
    }
  },
});

Deno.test({
  name: "exec'd processes are in the container's cgroups: ps lists them, kill --all reaches them",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const pid = await execDetached(sb, id, ["sleep", "300"]);
    const ps = await sb.runo(["ps", "--format", "json", id]);
    assert.equal(ps.code, 0, ps.stderr);
    assert.ok((JSON.parse(ps.stdout) as number[]).includes(pid), `${pid} not in ${ps.stdout}`);
    assert.equal((await sb.runo(["kill", "--all", id, "KILL"])).code, 0);
    assert.ok(
      await waitFor(async () => (await host("kill", ["-0", String(pid)])).code !== 0),
      "kill --all left the exec'd process alive",
    );
  },
});

Deno.test({
  name: "exec into a paused container is refused unless --ignore-paused (then it runs on resume)",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    assert.equal((await sb.runo(["pause", id])).code, 0);
    const refused = await sb.runo(["exec", id, "true"]);
    assert.notEqual(refused.code, 0);
    assert.match(oneLineError(refused.stderr), /paused/);
    const pending = sb.runo(["exec", "--ignore-paused", id, "echo", "after-resume"]);
    let done = false;
    pending.then(() => done = true);
    await new Promise((r) => setTimeout(r, 500));
    // it joined the frozen cgroups: nothing of it runs before resume
    assert.equal(done, false, "exec --ignore-paused finished while the container was paused");
    assert.equal((await sb.runo(["resume", id])).code, 0);
    const r = await pending;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "after-resume\n");
  },
});

Deno.test({
  name: "exec applies the container's seccomp filter",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb, (c) => {
      c.linux!.seccomp = {
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1 }],
      };
    });
    await using _b = bundle;
    const status = await execOk(sb, [id, "cat", "/proc/self/status"]);
    assert.equal(statusField(status, "Seccomp"), "2");
    const r = await sb.runo(["exec", id, "mkdir", "/tmp/x"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Operation not permitted/);
  },
});

Deno.test({
  name: "exec joins the container's user namespace first: root inside is the mapped uid outside",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb, (c) => {
      c.linux!.namespaces!.push({ type: "user" });
      c.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      c.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      // sysfs and cgroupfs cannot be mounted from a user namespace without a new netns/cgroupns
      c.mounts = c.mounts!.filter((m) =>
        m.destination !== "/sys/fs/cgroup" && m.destination !== "/sys"
      );
    }, async (b) => {
      const r = await host("chown", ["-R", "100000:100000", b.rootfs]);
      assert.equal(r.code, 0, r.stderr);
    });
    await using _b = bundle;
    assert.equal(
      await execOk(sb, [id, "sh", "-c", "id -u; cat /proc/self/uid_map"]),
      "0\n         0     100000      65536\n",
    );
    const pid = await execDetached(sb, id, ["sleep", "30"]);
    const owner = await host("stat", ["-c", "%u", `/proc/${pid}`]);
    assert.equal(owner.stdout.trim(), "100000");
    await host("kill", ["-9", String(pid)]);
  },
});
