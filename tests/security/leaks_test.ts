// Leaks over many lifecycles. A long-lived caller of the library (mod.ts)
// runs 200 create/start/wait/delete cycles; its open fds and its child
// processes (zombies included) are counted from the host before and after,
// and the host is searched for anything named after the cycles' ids:
// cgroup dirs, mounts of the bundle, processes in those cgroups, state.
// The CLI is a fresh process each time; its cycles are checked the same
// way on the host side.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { host, REPO_ROOT, requires, runoOnly, sandbox } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");
const CYCLES = Number(Deno.env.get("RUNO_LEAK_CYCLES") ?? "") || 200;

/** Everything on the host named after ids starting with `prefix`. */
async function hostTraces(prefix: string, bundle: string): Promise<string[]> {
  const r = await host("/bin/sh", [
    "-c",
    `find /sys/fs/cgroup -maxdepth 3 -type d -name "$1*" 2>/dev/null
     grep -F -- "$2" /proc/self/mountinfo
     grep -l -- "/$1" /proc/[0-9]*/cgroup 2>/dev/null`,
    "sh",
    prefix,
    bundle,
  ]);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** "fds=N children=M" of a process, read from the host's /proc. */
async function census(pid: number): Promise<{ fds: string[]; children: string[] }> {
  const fds = await host("/bin/sh", [
    "-c",
    `ls -l /proc/${pid}/fd | sed -n 's/.* \\([0-9]*\\) -> /\\1 /p'`,
  ]);
  const kids = await host("/bin/sh", ["-c", `ps -o pid=,stat=,comm= --ppid ${pid} || true`]);
  return {
    fds: fds.stdout.split("\n").filter((l) => l !== "" && !/-> \/proc\/\d+\/fd/.test(l)),
    children: kids.stdout.split("\n").map((l) => l.trim()).filter((l) => l !== ""),
  };
}

const SCRIPT = `
import { Runtime } from MOD;
const [root, bundle, prefix, cycles] = Deno.args;
const rt = new Runtime({ root });
const stdin = Deno.stdin.readable.getReader();
const waitLine = async () => { await stdin.read(); };
async function cycle(id) {
  await rt.create(id, bundle);
  await rt.start(id);
  for (let i = 0; (await rt.state(id)).status !== "stopped"; i++) {
    if (i > 2000) throw new Error(id + " never stopped");
    await new Promise((r) => setTimeout(r, 2));
  }
  await rt.delete(id);
}
await cycle(prefix + "warm"); // loads modules and libraries once
console.log("HELLO"); // and one read of stdin sets up its reader
await waitLine();
console.log("BEFORE " + Deno.pid);
await waitLine();
const n = Number(cycles);
for (let i = 0; i < n / 2; i++) await cycle(prefix + i);
console.log("MID");
await waitLine();
for (let i = Math.ceil(n / 2); i < n; i++) await cycle(prefix + i);
console.log("AFTER");
await waitLine();
`;

Deno.test({
  name:
    `leaks: ${CYCLES} library create/start/delete cycles leave the caller's fds, children and the host as they were`,
  // (Under RUNO_BIN=runc it would run runo's library all the same.)
  ...requires(
    "root",
    "busybox",
    "cli",
    runoOnly("library (mod.ts Runtime)"),
  ),
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["true"] });
    const prefix = `leak${Deno.pid}-`;
    const file = `${b.dir}/leak.ts`;
    await Deno.writeTextFile(file, SCRIPT.replace("MOD", JSON.stringify(`${REPO_ROOT}/mod.ts`)));
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-ffi",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-run",
        file,
        sb.root,
        b.dir,
        prefix,
        String(CYCLES),
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const writer = child.stdin.getWriter();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    const until = async (word: string) => {
      while (!buf.includes(word)) {
        const { value, done } = await lines.read();
        if (done) throw new Error(`library script ended before ${word}: ${buf}`);
        buf += value;
      }
    };
    try {
      await until("HELLO");
      await writer.write(new TextEncoder().encode("\n"));
      await until("BEFORE");
      const pid = Number(/BEFORE (\d+)/.exec(buf)![1]);
      const before = await census(pid);
      const t0 = performance.now();
      await writer.write(new TextEncoder().encode("\n"));
      await until("MID");
      const mid = await census(pid);
      await writer.write(new TextEncoder().encode("\n"));
      await until("AFTER");
      const ms = performance.now() - t0;
      const after = await census(pid);
      await writer.write(new TextEncoder().encode("\n"));
      assert.deepEqual(mid.children, before.children, "children (zombies?) of the caller");
      assert.deepEqual(after.children, before.children, "children (zombies?) of the caller");
      // Deno sets up one socketpair of its own (tokio's signal driver) the
      // first time it waits on a child, some cycles in: so the fds must not
      // change over the second half, and differ from the start by at most
      // that one pair.
      assert.deepEqual(after.fds, mid.fds, "open fds of the caller grew over the second half");
      const extra = after.fds.filter((f) => !before.fds.includes(f));
      const gone = before.fds.filter((f) => !after.fds.includes(f));
      assert.ok(extra.length - gone.length <= 2, `fds opened: ${extra}; closed: ${gone}`);
      assert.ok(extra.every((f) => / (socket|pipe):/.test(f)), `fds opened: ${extra}`);
      console.log(
        `${CYCLES} cycles in ${(ms / 1000).toFixed(1)} s (${(ms / CYCLES).toFixed(0)} ms each); ` +
          `caller: ${before.fds.length} fds -> ${after.fds.length} (${
            extra.join(", ") || "same"
          }), ` +
          `${after.children.length} children before and after`,
      );
    } finally {
      await writer.close().catch(() => {});
      const status = await child.status;
      assert.equal(status.code, 0, "the library script failed");
      await lines.cancel().catch(() => {});
    }
    assert.deepEqual(await hostTraces(prefix, b.dir), [], "left on the host");
    assert.deepEqual([...Deno.readDirSync(sb.root)].filter((e) => !e.name.startsWith(".")), []);
  },
});

Deno.test({
  name: "leaks: 30 CLI run cycles leave no state, cgroup, mount or process on the host",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["true"] });
    const prefix = `cli${Deno.pid}-`;
    const mountsBefore = (await host("cat", ["/proc/self/mountinfo"])).stdout.split("\n").length;
    for (let i = 0; i < 30; i++) {
      const r = await sb.runo(["run", "-b", b.dir, `${prefix}${i}`], { reap: true });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.orphans, [], `cycle ${i} left processes`);
    }
    assert.deepEqual(await hostTraces(prefix, b.dir), [], "left on the host");
    assert.deepEqual([...Deno.readDirSync(sb.root)].filter((e) => !e.name.startsWith(".")), []);
    const mountsAfter = (await host("cat", ["/proc/self/mountinfo"])).stdout.split("\n").length;
    // Other engineers' containers come and go: only a growth by ~30 counts.
    assert.ok(mountsAfter - mountsBefore < 10, `host mounts ${mountsBefore} -> ${mountsAfter}`);
  },
});
