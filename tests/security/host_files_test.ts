// Files runo reads on the host but does not control (issue 15, items 5
// and 7): a container's /etc/passwd (for `exec -u NAME`, and for HOME at
// create and exec), config.json and `exec --process`. Each must be a
// regular file, found without blocking and without opening a device: a
// FIFO there must not hang runo, a device node must not be opened on the
// host (the container's own device cgroup does not apply to runo), and a
// file without end (/dev/zero) must not be read at all.
//
// Each test first shows the attack's set-up took effect (the node is what
// it should be, a positive control runs), then the outcome. Under
// RUNO_BIN=runc the same attacks run where runc survives them; where it
// does not (it hangs), the test says so and is not run against it.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Bundle, createBundle } from "../fixtures/bundle.ts";
import { running, SLEEPER } from "../fixtures/container.ts";
import {
  exists,
  host,
  hostHas,
  isRunc,
  oneLineError,
  requires,
  runoBin,
  type Sandbox,
  sandbox,
  uniqueId,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");
/**
 * runo differs on purpose where runc 1.1.5 hangs on a FIFO for good (SIGTERM does
 * not end it, so the fixture's timeout cannot either): those tests are not run against it.
 */
const runcHangs = (where: string) =>
  requires("root", "busybox", "cli", {
    met: !isRunc(),
    reason: `would hang runc 1.1.5 (it blocks opening a FIFO ${where})`,
  });
const strace = hostHas("command -v strace", "needs strace");

/** The fixture's message when it had to kill a command that did not return. */
const KILLED = /killed after timeout/;

/** Opens fifo for reading and closes it at once (nonblocking): a writer still in open(2) gets SIGPIPE or EPIPE. */
async function unblockWriter(fifo: string): Promise<void> {
  await host("python3", [
    "-c",
    "import os,sys; os.close(os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK))",
    fifo,
  ]);
}

async function mkfifo(path: string): Promise<void> {
  await Deno.remove(path).catch(() => {});
  assert.equal((await host("mkfifo", [path])).code, 0);
  assert.ok((await Deno.lstat(path)).isFifo, `${path} is a FIFO`);
}

/** A char device node 1:3 (what /dev/null is), made by the test as a decoy. */
async function nullDevice(path: string): Promise<void> {
  await Deno.remove(path).catch(() => {});
  assert.equal((await host("mknod", [path, "c", "1", "3"])).code, 0);
  const st = await Deno.lstat(path);
  assert.ok(st.isCharDevice, `${path} is a character device`);
  assert.equal(st.rdev, (1 << 8) | 3, `${path} is 1:3`);
}

// runc 1.1.5 takes only numeric users (`-u alice`: "parsing alice as int").
const USER = isRunc() ? "1000" : "alice";

/** A running SLEEPER container whose exec -u USER works (the positive control). */
async function runningWithAlice(sb: Sandbox): Promise<{ id: string; bundle: Bundle }> {
  const bundle = await createBundle({ args: SLEEPER });
  const id = await running(sb, bundle);
  const ok = await sb.runo(["exec", "-u", USER, id, "id", "-u"]);
  assert.equal(ok.stdout.trim(), "1000", `positive control: exec -u ${USER}: ${ok.stderr}`);
  return { id, bundle };
}

Deno.test({
  name: "exec -u NAME with a FIFO at the container's /etc/passwd fails at once, the FIFO unopened",
  // runc 1.1.5 takes no user name, and `exec -u 1000` blocks on the FIFO
  // from inside the container (seen here: still waiting after 5 s).
  ...runcHangs("at /etc/passwd at exec -u"),
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningWithAlice(sb);
    await using _b = bundle;
    await mkfifo(`${bundle.rootfs}/etc/passwd`);
    // Opening a FIFO for reading blocks until a writer comes: a reader
    // that returns never opened it. (Before the fix: hung forever.)
    const r = await sb.runo(["exec", "-u", "alice", id, "true"], { timeoutMs: 20_000 });
    assert.doesNotMatch(r.stderr, KILLED, "exec blocked on the FIFO");
    assert.equal(r.code, 255, "a failed exec exits 255");
    assert.equal(
      oneLineError(r.stderr),
      `runo: Cannot read the container's "/etc/passwd": it is a FIFO, not a regular file`,
    );
  },
});

Deno.test({
  name: "exec -u NAME with a device node at /etc/passwd never opens the device on the host",
  ...requires("root", "busybox", "cli", strace),
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningWithAlice(sb);
    await using _b = bundle;
    await nullDevice(`${bundle.rootfs}/etc/passwd`);
    const trace = `${sb.root}/strace.log`;
    const r = await host("strace", [
      "-f",
      "-qq",
      "-e",
      "trace=open,openat,openat2",
      "-o",
      trace,
      runoBin(),
      "--root",
      sb.root,
      "exec",
      "-u",
      USER,
      id,
      "id",
      "-u",
    ]);
    if (isRunc()) {
      // runo differs on purpose: it reads the file on the host, where no device cgroup
      // applies; runc opens the node from inside the container, where the device
      // cgroup allows 1:3, reads an empty passwd, and runs as uid 1000.
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), "1000");
      return;
    }
    assert.equal(r.code, 255);
    assert.equal(
      oneLineError(r.stderr),
      `runo: Cannot read the container's "/etc/passwd": it is a character device, not a regular file`,
    );
    const lines = (await Deno.readTextFile(trace)).split("\n");
    const opens = lines.filter((l) => l.includes('"/etc/passwd"'));
    // Positive control: the trace caught runo's own look-up of the file.
    assert.ok(opens.length > 0, `no open of /etc/passwd traced:\n${lines.join("\n")}`);
    for (const line of opens) assert.match(line, /O_PATH/, `opened for more than a path: ${line}`);
    // Nor reopened through its O_PATH fd (what a read would do next):
    // no open of /proc/self/fd/N before N is handed out again. (The trace
    // does show such reopens: state.json is read that way.)
    assert.ok(lines.some((l) => /"\/proc\/self\/fd\/\d+", O_RDONLY/.test(l)), "no reopen traced");
    for (const line of opens) {
      const fd = / = (\d+)$/.exec(line)?.[1];
      if (fd === undefined) continue;
      for (const later of lines.slice(lines.indexOf(line) + 1)) {
        assert.ok(!later.includes(`"/proc/self/fd/${fd}"`), `reopened the device: ${later}`);
        if (later.endsWith(` = ${fd}`)) break; // fd ${fd} now names another file
      }
    }
  },
});

Deno.test({
  name: "create with a FIFO at the rootfs's /etc/passwd fails at once and leaves nothing behind",
  // runc 1.1.5 blocks opening the FIFO from its init, and SIGTERM does not
  // end it (seen here: `runc run` still waiting after 10 s, killed by hand).
  ...runcHangs("at /etc/passwd at create"),
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["true"] });
    const id = sb.track(uniqueId());
    const control = await sb.runo(["run", "-b", b.dir, id]);
    assert.equal(
      control.code,
      0,
      `positive control: run with the regular passwd: ${control.stderr}`,
    );
    await mkfifo(`${b.rootfs}/etc/passwd`);
    const r = await sb.runo(["run", "-b", b.dir, id], { timeoutMs: 20_000 });
    assert.doesNotMatch(r.stderr, KILLED, "create blocked on the FIFO");
    assert.equal(r.code, 1);
    assert.equal(
      oneLineError(r.stderr),
      `runo: Cannot read the container's "/etc/passwd": it is a FIFO, not a regular file`,
    );
    assert.equal(await exists(`${sb.root}/${id}`), false, "no state directory left");
  },
});

Deno.test({
  name:
    "exec --process of /dev/zero is refused at once; a regular file and a FIFO (as <(…) gives) run",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: SLEEPER });
    const id = await running(sb, b);
    const file = `${sb.root}/process.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        args: ["echo", "hi"],
        cwd: "/",
        env: ["PATH=/bin"],
        user: { uid: 0, gid: 0 },
      }),
    );
    const ok = await sb.runo(["exec", "--process", file, id]);
    assert.equal(ok.stdout, "hi\n", `positive control: ${ok.stderr}`);
    // The caller names this file, so a FIFO is read as runc reads it (runc's
    // tty.bats passes `-p <(echo …)`); only a bundle's files must be regular.
    const fifo = `${sb.root}/process.fifo`;
    await mkfifo(fifo);
    const writer = new Deno.Command("sh", { args: ["-c", `cat "$0" >"$1"`, file, fifo] }).spawn();
    const viaFifo = await sb.runo(["exec", "--process", fifo, id], { timeoutMs: 20_000 });
    // A runo that never opened the FIFO leaves the writer blocked in open.
    await unblockWriter(fifo);
    await writer.status;
    assert.equal(viaFifo.stdout, "hi\n", `through a FIFO: ${viaFifo.stderr}`);
    const r = await sb.runo(["exec", "--process", "/dev/zero", id], { timeoutMs: 20_000 });
    assert.doesNotMatch(r.stderr, KILLED, "exec did not return");
    assert.equal(r.code, 255);
    const line = oneLineError(r.stderr);
    // runc reads /dev/zero up to its first NUL: "invalid character '\\x00' looking for ...".
    if (isRunc()) assert.match(line, /invalid character '\\\\x00'/);
    else {
      assert.equal(
        line,
        `runo: Cannot read --process file "/dev/zero": it is a character device, not a regular file`,
      );
    }
  },
});

Deno.test({
  name: "exec --process of a FIFO holding more than 16 MiB is refused once the cap is passed",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: SLEEPER });
    const id = await running(sb, b);
    const fifo = `${sb.root}/process.fifo`;
    await mkfifo(fifo);
    // The writer dies of SIGPIPE once runo stops reading.
    const writer = new Deno.Command("sh", {
      args: ["-c", `head -c 20000000 /dev/zero | tr '\\0' ' ' >"$0"`, fifo],
      stderr: "null",
    }).spawn();
    const r = await sb.runo(["exec", "--process", fifo, id], { timeoutMs: 20_000 });
    await unblockWriter(fifo);
    await writer.status;
    assert.doesNotMatch(r.stderr, KILLED, "exec did not return");
    assert.equal(r.code, 255);
    const line = oneLineError(r.stderr);
    // runc reads it all, then finds no JSON value in 20 MB of spaces.
    if (isRunc()) assert.match(line, /EOF|unexpected end/i);
    else {
      assert.equal(
        line,
        `runo: Cannot read --process file "${fifo}": it is larger than 16 MiB, the most runo reads`,
      );
    }
  },
});

Deno.test({
  name: "create with /dev/zero as config.json is refused before anything is read",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["true"] });
    const id = sb.track(uniqueId());
    const control = await sb.runo(["run", "-b", b.dir, id]);
    assert.equal(control.code, 0, `positive control: the bundle runs: ${control.stderr}`);
    await Deno.remove(`${b.dir}/config.json`);
    await Deno.symlink("/dev/zero", `${b.dir}/config.json`);
    // Before the fix runo read /dev/zero until it held ~3 GB.
    const r = await sb.runo(["create", "-b", b.dir, id], { timeoutMs: 20_000 });
    assert.doesNotMatch(r.stderr, KILLED);
    assert.equal(r.code, 1);
    assert.equal(await exists(`${sb.root}/${id}`), false, "no state directory left");
    const line = oneLineError(r.stderr);
    // runc's decoder stops at the first NUL: "invalid character '\\x00' looking for ...".
    if (isRunc()) assert.match(line, /invalid character '\\\\x00'/);
    else {
      assert.equal(
        line,
        `runo: Cannot read "${b.dir}/config.json": it is a character device, not a regular file`,
      );
    }
  },
});
