// The cgroup migration lock's warming (lib/cgroups/prime.ts, c/cgroup_warmer.c):
// a thread of runo's writes runo's pid to its own cgroup.procs every 2 ms
// until the moves are done. What must hold, whoever else moves runo:
// the loop runs while warming, stops when stopped, stops for good as soon
// as /proc/self/cgroup changes, and so never moves runo back from a cgroup
// somebody else put it in.
//
// runo's own start-up mechanism: runc has none, so these tests do not run
// with RUNO_BIN=runc.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { host, REPO_ROOT, requires, runoOnly, uniqueId } from "../fixtures/runo.ts";
import { hostRead } from "../fixtures/cgroups.ts";

const { ignore } = requires("root", runoOnly("cgroup migration lock warming (runc has none)"));

/** The probe (helpers/warm_probe.ts), driven line by line. */
class Probe implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  readonly #in: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: AsyncIterator<string>;
  procs = "";
  /** The hierarchy procs is in. */
  mountpoint = "";

  constructor(args: string[]) {
    this.child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-ffi",
        "--allow-read",
        "--allow-env",
        `${REPO_ROOT}/tests/integration/helpers/warm_probe.ts`,
        ...args,
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#in = this.child.stdin.getWriter();
    this.#lines = lines(this.child.stdout)[Symbol.asyncIterator]();
  }

  async line(): Promise<string> {
    const next = await this.#lines.next();
    assert.ok(!next.done, "the probe exited early");
    return next.value;
  }

  async started(): Promise<void> {
    const first = await this.line();
    assert.match(first, /^started /);
    [, this.procs, this.mountpoint] = first.split(" ");
  }

  async send(cmd: string): Promise<string> {
    await this.#in.write(new TextEncoder().encode(`${cmd}\n`));
    return await this.line();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await this.#in.close().catch(() => {});
    await this.child.status;
  }
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncIterable<string> {
  let pending = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
  }
}

/** Whether `check` holds within `ms`, polled every 2 ms. */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  return check();
}

/** A fresh cgroup under `mountpoint`, removed at the end (once its process is gone). */
async function scratchCgroup(
  mountpoint = "/sys/fs/cgroup/pids",
): Promise<{ dir: string } & AsyncDisposable> {
  const dir = `${mountpoint}/runo-warm-${uniqueId()}`;
  const made = await host("mkdir", [dir]);
  assert.equal(made.code, 0, made.stderr);
  return {
    dir,
    async [Symbol.asyncDispose]() {
      for (let i = 0; i < 100; i++) {
        if ((await host("rmdir", [dir])).code === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** Moves `pid` into the cgroup at `dir`, as another manager would. */
async function moveTo(dir: string, pid: string): Promise<void> {
  const r = await host("sh", ["-c", `echo ${pid} > ${dir}/cgroup.procs`]);
  assert.equal(r.code, 0, r.stderr);
}

/**
 * A probe warming a temporary file that stands in for its cgroup.procs,
 * once it has written its pid there; the file goes with it.
 */
async function fileProbe(): Promise<
  { probe: Probe; pid: string; file: string; written: () => boolean } & AsyncDisposable
> {
  const file = await Deno.makeTempFile({ prefix: "runo-warm-" });
  const probe = new Probe(["file", file]);
  const dispose = async () => {
    await probe[Symbol.asyncDispose]();
    await Deno.remove(file);
  };
  try {
    await probe.started();
    const pid = String(probe.child.pid);
    const written = () => Deno.readTextFileSync(file) === pid;
    assert.ok(await within(500, written), "the loop never wrote the pid");
    return { probe, pid, file, written, [Symbol.asyncDispose]: dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

Deno.test({
  name: "cgroup warming: the loop rewrites its file every few ms until it is stopped",
  ignore,
  async fn() {
    await using p = await fileProbe();
    // Running: an emptied file is written again within a few intervals.
    await Deno.truncate(p.file);
    assert.ok(await within(100, p.written), "the loop stopped on its own");
    assert.equal(await p.probe.send("stop"), "stopped");
    await Deno.truncate(p.file);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(Deno.readTextFileSync(p.file), "", "the loop went on after its stop");
  },
});

Deno.test({
  name: "cgroup warming: a move of the process by someone else ends the loop",
  ignore,
  async fn() {
    await using cg = await scratchCgroup();
    await using p = await fileProbe();
    await moveTo(cg.dir, p.pid);
    // The loop checks /proc/self/cgroup before each write: at most one
    // write was already past its check.
    await new Promise((r) => setTimeout(r, 10));
    await Deno.truncate(p.file);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(Deno.readTextFileSync(p.file), "", "the loop went on after the move");
    assert.equal(await p.probe.send("stop"), "stopped");
  },
});

Deno.test({
  name: "cgroup warming on its real cgroup.procs never moves the process back",
  ignore,
  async fn() {
    await using probe = new Probe(["own"]);
    await probe.started();
    const pid = String(probe.child.pid);
    // Moved within the very hierarchy whose cgroup.procs the loop writes.
    assert.equal(probe.procs.startsWith(`${probe.mountpoint}/`), true, probe.procs);
    await using cg = await scratchCgroup(probe.mountpoint);
    await moveTo(cg.dir, pid);
    await new Promise((r) => setTimeout(r, 30));
    const members = (await hostRead(`${cg.dir}/cgroup.procs`)).split("\n");
    assert.ok(members.includes(pid), `moved back (${await probe.send("cgroup")})`);
    assert.equal(await probe.send("stop"), "stopped");
    // Gone before cg's rmdir, which is disposed of first (declared last).
    await probe[Symbol.asyncDispose]();
  },
});
