// exec pins the container's init with a pidfd (lib/container/init_pin.ts):
// an init that exits after the status check, its pid taken by a host
// process, must make exec refuse, never run the command in the stranger's
// namespaces. The race is made deterministic by tests/fixtures/pid_swap.py:
// the exec blocks connecting to a full --console-socket (after its status
// check, before its join) while the init is killed and its exact pid given
// to a host `sleep` (clone3 set_tid). Beside it, the positive controls of
// the pidfd join: the init's user, pid and mount namespaces with the host's
// network, a container without a mount namespace (the jail's root fd), and
// no host fd (the pidfd, the root fd) left open in the exec'd process.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { runningSleeper, SLEEPER } from "../fixtures/container.ts";
import {
  exists,
  host,
  hostNamespace,
  isRunc,
  oneLineError,
  processAlive,
  REPO_ROOT,
  requires,
  runoOnly,
  sandbox,
  stateOf,
  uniqueId,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/** The exec'd process's fds as `ls /proc/self/fd` lists them; the last is ls's own directory. */
const FDS = "echo $(ls /proc/self/fd)";

/** Reads lines from a child's stdout until one matches `re`. */
async function lineMatching(
  reader: ReadableStreamDefaultReader<string>,
  re: RegExp,
): Promise<RegExpMatchArray> {
  let seen = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`pid_swap.py ended before ${re}: ${JSON.stringify(seen)}`);
    seen += value;
    const m = seen.match(re);
    if (m) return m;
  }
}

/** pid_swap.py on `socket` for the init `pid`, watching for the exec of `id`. */
function pidSwap(socket: string, pid: number, id: string) {
  const child = new Deno.Command("python3", {
    args: [`${REPO_ROOT}/tests/fixtures/pid_swap.py`, socket, String(pid), id],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  return {
    ready: () => lineMatching(reader, /ready\n/),
    stranger: async () => Number((await lineMatching(reader, /stranger (\d+)\n/))[1]),
    async [Symbol.asyncDispose]() {
      await child.stdin.close().catch(() => {});
      await reader.cancel().catch(() => {});
      await child.status;
    },
  };
}

/** `readlink /proc/<pid>/ns/<type>` on the host. */
async function nsOf(pid: number, type: string): Promise<string> {
  const r = await host("readlink", [`/proc/${pid}/ns/${type}`]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

// Not under runc: Go dials the console socket non-blocking, so a full
// backlog fails runc's exec at once instead of pausing it, and the pause
// this test needs does not exist there. (runc 1.1.5 checks the init's start
// time once, then joins /proc/<pid>/ns/* by path: the race runo closes.)
Deno.test({
  name:
    "exec refuses in one line when the init's pid goes to a host process after the status check",
  ...requires(
    "root",
    "busybox",
    "cli",
    runoOnly("pidfd pin of the init at exec (runc dials --console-socket non-blocking: no pause)"),
  ),
  async fn() {
    await using sb = await sandbox();
    const { bundle, id } = await runningSleeper(sb);
    await using _b = bundle;
    const { pid } = await stateOf(sb, id);
    const dir = await Deno.makeTempDir({ prefix: "runo-pinned-" });
    try {
      const socket = `${dir}/console.sock`;
      await using swap = pidSwap(socket, pid, id);
      await swap.ready();
      // Run in the host's mount namespace, the command would leave `pwned`
      // in dir; in the container's, dir does not exist.
      const exec = sb.runo([
        "exec",
        "-d",
        "-t",
        "--console-socket",
        socket,
        "--pid-file",
        `${dir}/exec.pid`,
        id,
        "sh",
        "-c",
        `readlink /proc/self/ns/mnt > ${dir}/pwned`,
      ], { reap: true });
      const stranger = await swap.stranger();
      assert.equal(stranger, pid, "the stranger holds the init's pid");
      const r = await exec;
      assert.notEqual(r.code, 0, `exec ran in the stranger's namespaces: ${r.stdout}`);
      assert.equal(
        oneLineError(r.stderr),
        `runo: exec ${id}: the container's init (pid ${pid}) exited`,
      );
      assert.equal(await exists(`${dir}/pwned`), false, "the command ran on the host");
      assert.equal(await exists(`${dir}/exec.pid`), false, "a pid file was left");
      assert.deepEqual(r.orphans, [], "exec left processes behind");
      assert.ok(await processAlive(stranger), "the stranger was harmed");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "exec joins the init's user, pid and mount namespaces, the host's network, no host fd kept",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { bundle, id } = await runningSleeper(sb, (c) => {
      c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== "network");
      c.linux!.namespaces!.push({ type: "user" });
      c.linux!.uidMappings = [{ containerID: 0, hostID: 0, size: 65536 }];
      c.linux!.gidMappings = [{ containerID: 0, hostID: 0, size: 65536 }];
      // sysfs and cgroupfs cannot be mounted from a user namespace without a new netns/cgroupns
      c.mounts = c.mounts!.filter((m) =>
        m.destination !== "/sys/fs/cgroup" && m.destination !== "/sys"
      );
    });
    await using _b = bundle;
    const { pid } = await stateOf(sb, id);
    const types = ["user", "pid", "mnt", "net", "uts", "ipc"];
    const script = `for t in ${types.join(" ")}; do readlink /proc/self/ns/$t; done; ${FDS}`;
    const r = await sb.runo(["exec", id, "sh", "-c", script]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    for (const [i, t] of types.entries()) assert.equal(lines[i], await nsOf(pid, t), t);
    assert.equal(lines[types.indexOf("net")], await hostNamespace("net"));
    assert.notEqual(lines[types.indexOf("user")], await hostNamespace("user"));
    assert.equal(lines[types.length], "0 1 2 3", "an fd beyond stdio reached the process");
  },
});

/** No mount namespace and no mounts: no /proc inside. */
const noMountNs = (c: Config) => {
  c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== "mount");
  c.mounts = [];
  delete c.linux!.maskedPaths;
  delete c.linux!.readonlyPaths;
};

Deno.test({
  name: "exec into a container without a mount namespace sees its root, no host fd kept",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    if (isRunc()) {
      // runo differs on purpose: runc 1.1.5 cannot run this container at all (its init
      // closes fds through /proc/self/fd, which nothing mounted), though the spec allows it.
      await using b = await createBundle({ args: SLEEPER, config: noMountNs });
      const id = sb.track(uniqueId());
      const r = await sb.runo(["run", "-d", "-b", b.dir, id], { reap: true });
      assert.notEqual(r.code, 0, "runc ran a container without /proc");
      assert.match(oneLineError(r.stderr), /closing exec fds: open \/proc\/self\/fd/);
      assert.deepEqual(r.orphans, []);
      assert.equal(await exists(`${sb.root}/${id}`), false, "state dir left");
      // runc leaves its bind of the rootfs on the host after this failure: not ours to keep.
      await new Deno.Command("umount", { args: ["-l", b.rootfs], stderr: "null" }).output();
      return;
    }
    const { bundle, id } = await runningSleeper(
      sb,
      noMountNs,
      (b) => Deno.writeTextFile(`${b.rootfs}/only-in-the-container`, "inside\n"),
    );
    await using _b = bundle;
    const r = await sb.runo(["exec", id, "cat", "/only-in-the-container"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "inside\n");
    // No /proc inside (no mount namespace, no mounts): its fds seen from the host.
    const pidFile = `${sb.root}/exec.pid`;
    const d = await sb.runo(["exec", "-d", "--pid-file", pidFile, id, "sleep", "30"]);
    assert.equal(d.code, 0, d.stderr);
    const pid = Number((await Deno.readTextFile(pidFile)).trim());
    try {
      const fds = await host("ls", [`/proc/${pid}/fd`]);
      assert.equal(fds.stdout.split("\n").filter((l) => l).join(" "), "0 1 2");
    } finally {
      await host("kill", ["-9", String(pid)]);
    }
  },
});
