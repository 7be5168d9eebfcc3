// OCI hooks, checked from what each hook itself recorded: its stdin (the
// state, compared with `runo state`), its exact environment and argv[0]
// (/proc/$$/environ of a busybox applet reached only through argv[0]), and
// its namespaces against the host's and the container's. Then each failing
// hook, and a hook killed at its timeout, with nothing left behind.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { created } from "../fixtures/container.ts";
import {
  exists,
  hostNamespace,
  isRunc,
  oneLineError,
  processAlive,
  requires,
  sandbox,
  stateOf,
  uniqueId,
  waitFor,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

type Hook = NonNullable<NonNullable<Config["hooks"]>["prestart"]>[number];

const PHASES = [
  "prestart",
  "createRuntime",
  "createContainer",
  "startContainer",
  "poststart",
  "poststop",
] as const;
type Phase = typeof PHASES[number];

/** Where a hook writes: startContainer runs after pivot_root, in the container. */
const outDir = (phase: Phase, dir: string) => phase === "startContainer" ? "/out" : dir;

/**
 * Two hooks recording stdin, namespaces and turn, then the exact
 * environment. Both are busybox reached through args[0] ("sh", "cp"):
 * busybox picks the applet from argv[0], so each runs only if args[0]
 * really became argv[0]; cp copies its own /proc/self/environ.
 */
function recorders(phase: Phase, dir: string): Hook[] {
  const o = outDir(phase, dir);
  const script = [
    `cat > ${o}/${phase}.state`,
    `readlink /proc/self/ns/mnt > ${o}/${phase}.mnt`,
    `readlink /proc/self/ns/pid > ${o}/${phase}.pid`,
    `echo ${phase} >> ${o}/order`,
  ].join("; ");
  const env = [`HOOK_PHASE=${phase}`, "ONLY=this"];
  return [
    { path: "/bin/busybox", args: ["sh", "-c", script], env, timeout: 10 },
    { path: "/bin/busybox", args: ["cp", "/proc/self/environ", `${o}/${phase}.env`], env },
  ];
}

/** The container bind-mounts the host's out dir on /out (rw). */
function withOut(dir: string) {
  return (c: Config) => {
    c.root!.readonly = false;
    c.mounts!.push({ destination: "/out", type: "bind", source: dir, options: ["rbind", "rw"] });
    c.annotations = { "org.example.hooks": "yes" };
  };
}

const read = (p: string) => Deno.readTextFile(p).then((t) => t.trim());

Deno.test({
  name: "all six hooks: state on stdin, exact env and argv0, right namespaces and order",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const out = await Deno.makeTempDir({ prefix: "runo-hooks-" });
    try {
      await using bundle = await createBundle({
        args: ["sh", "-c", "readlink /proc/self/ns/mnt > /out/ctr.mnt; exec sleep 60"],
        config: (c) => {
          withOut(out)(c);
          c.hooks = Object.fromEntries(PHASES.map((p) => [p, recorders(p, out)]));
        },
      });
      const id = sb.track(uniqueId());
      const create = await sb.runo(["create", "-b", bundle.dir, id]);
      assert.equal(create.code, 0, create.stderr);
      const created = await stateOf(sb, id);
      assert.deepEqual(created.annotations, { "org.example.hooks": "yes" });
      const start = await sb.runo(["start", id]);
      assert.equal(start.code, 0, start.stderr);
      assert.ok(await waitFor(() => exists(`${out}/ctr.mnt`)), "container did not run");
      const del = await sb.runo(["delete", "--force", id]);
      assert.equal(del.code, 0, del.stderr);

      // runc 1.1.5 runs poststart during create, before the program (its
      // main branch runs it after, as the spec says and runo does).
      const order = isRunc()
        ? [
          "prestart",
          "createRuntime",
          "createContainer",
          "poststart",
          "startContainer",
          "poststop",
        ]
        : [...PHASES];
      assert.deepEqual((await read(`${out}/order`)).split("\n"), order);
      // The spec's "created": after lifecycle step 2, the program not yet
      // run (crun, and the OCI suite's hooks_stdin). runc 1.1.5 says
      // "creating" until create returns.
      const early = isRunc() ? "creating" : "created";
      const wantStatus: Record<Phase, string> = {
        prestart: early,
        createRuntime: early,
        createContainer: early,
        startContainer: "created",
        poststart: isRunc() ? "created" : "running", // runc 1.1.5: during create
        poststop: "stopped",
      };
      const hostMnt = await hostNamespace("mnt");
      const hostPid = await hostNamespace("pid");
      const ctrMnt = await read(`${out}/ctr.mnt`);
      assert.notEqual(ctrMnt, hostMnt);
      for (const phase of PHASES) {
        const state = JSON.parse(await read(`${out}/${phase}.state`));
        const inside = phase === "createContainer" || phase === "startContainer";
        // Spec 1.3: the pid as the hook's namespaces see it (runc's Getpid()),
        // optional once stopped (runc 1.1.5 leaves it out of poststop's).
        const wantPid = inside ? 1 : created.pid;
        assert.deepEqual(state, {
          ociVersion: created.ociVersion,
          id,
          status: wantStatus[phase],
          ...(isRunc() && phase === "poststop" ? {} : { pid: wantPid }),
          bundle: bundle.dir,
          annotations: { "org.example.hooks": "yes" },
        }, phase);
        assert.deepEqual(
          (await Deno.readTextFile(`${out}/${phase}.env`)).split("\0").filter((e) => e),
          [`HOOK_PHASE=${phase}`, "ONLY=this"],
          `${phase}: environment is exactly hook.env`,
        );
        const mnt = await read(`${out}/${phase}.mnt`);
        const pid = await read(`${out}/${phase}.pid`);
        if (inside) {
          assert.equal(mnt, ctrMnt, `${phase} runs in the container's mount namespace`);
          assert.notEqual(pid, hostPid, `${phase} runs in the container's pid namespace`);
        } else {
          assert.equal(mnt, hostMnt, `${phase} runs in the runtime's mount namespace`);
          assert.equal(pid, hostPid, `${phase} runs in the runtime's pid namespace`);
        }
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

const FAIL = (): Hook => ({
  path: "/bin/busybox",
  args: ["sh", "-c", "echo hook says no >&2; exit 3"],
});

for (const phase of ["prestart", "createRuntime", "createContainer"] as const) {
  Deno.test({
    name: `a failing ${phase} hook fails create and leaves nothing behind`,
    ...needs,
    async fn() {
      await using sb = await sandbox();
      await using bundle = await createBundle({
        args: ["true"],
        config: (c) => c.hooks = { [phase]: [FAIL()] },
      });
      const id = sb.track(uniqueId());
      const r = await sb.runo(["create", "-b", bundle.dir, id], { reap: true });
      assert.notEqual(r.code, 0);
      const line = oneLineError(r.stderr);
      // runc names no phase: "error running hook #0: ... exit status 3".
      if (!isRunc()) assert.match(line, new RegExp(`${phase}`), line);
      assert.match(line, /exit status 3/, line);
      assert.deepEqual(r.orphans, [], "no process left");
      assert.ok(!(await exists(`${sb.root}/${id}`)), "no state dir left");
    },
  });
}

Deno.test({
  name: "a failing startContainer hook fails start and destroys the container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sleep", "60"],
      config: (c) => c.hooks = { startContainer: [FAIL()] },
    });
    const id = await created(sb, bundle);
    const { pid } = await stateOf(sb, id);
    const r = await sb.runo(["start", id]);
    if (isRunc()) {
      // runo differs on purpose: the spec says a failing startContainer hook
      // MUST generate an error; runc 1.1.5 runs the hooks in its init after
      // start has returned 0, and the init exits, leaving a stopped container.
      assert.equal(r.code, 0, r.stderr);
      assert.ok(await waitFor(async () => !(await processAlive(pid))), "init still alive");
      assert.equal((await stateOf(sb, id)).status, "stopped");
      return;
    }
    assert.notEqual(r.code, 0);
    assert.match(
      oneLineError(r.stderr),
      /startContainer hook "\/bin\/busybox": exit status 3, output: "hook says no"/,
    );
    assert.ok(!(await exists(`${sb.root}/${id}`)), "no state dir left");
    assert.ok(await waitFor(async () => !(await processAlive(pid))), "init still alive");
  },
});

Deno.test({
  name: "start succeeds when the program after passing startContainer hooks exits at once",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["true"],
      config: (c) => c.hooks = { startContainer: [{ path: "/bin/busybox", args: ["true"] }] },
    });
    const id = await created(sb, bundle);
    const r = await sb.runo(["start", id]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(await exists(`${sb.root}/${id}`), "the container was not destroyed");
  },
});

Deno.test({
  name: "poststart runs once the program runs: the init's pid is the program, not the init",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const out = await Deno.makeTempDir({ prefix: "runo-hooks-" });
    try {
      // The hook finds the pid on its stdin and records that process's name.
      const script =
        `pid=$(sed 's/.*"pid":\\([0-9]*\\).*/\\1/'); cat /proc/$pid/comm > ${out}/comm`;
      await using bundle = await createBundle({
        args: ["sleep", "60"],
        config: (c) =>
          c.hooks = { poststart: [{ path: "/bin/busybox", args: ["sh", "-c", script] }] },
      });
      const id = await created(sb, bundle);
      const r = await sb.runo(["start", id]);
      assert.equal(r.code, 0, r.stderr);
      if (isRunc()) {
        // runc 1.1.5 runs poststart during create, before the program
        // (runc's main branch moved it after, as the spec says).
        assert.equal(await read(`${out}/comm`), "runc:[2:INIT]");
      } else {
        assert.equal(await read(`${out}/comm`), "sleep");
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "a failing poststart hook fails start, kills the container, and the hooks after it do not run",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const out = await Deno.makeTempDir({ prefix: "runo-hooks-" });
    try {
      const mark = (name: string): Hook => ({
        path: "/bin/busybox",
        args: ["sh", "-c", `touch ${out}/${name}`],
      });
      await using bundle = await createBundle({
        args: ["sleep", "60"],
        config: (c) => c.hooks = { poststart: [mark("first"), FAIL(), mark("after")] },
      });
      const id = sb.track(uniqueId());
      const create = await sb.runo(["create", "-b", bundle.dir, id]);
      if (isRunc()) {
        // runo differs on purpose: the spec runs poststart after the program
        // starts (runc's main branch too); runc 1.1.5 runs it inside create,
        // so create fails instead, leaving no container.
        assert.notEqual(create.code, 0);
        assert.ok(await exists(`${out}/first`));
        assert.ok(!(await exists(`${out}/after`)));
        assert.ok(!(await exists(`${sb.root}/${id}`)), "no state dir left");
        return;
      }
      assert.equal(create.code, 0, create.stderr);
      const { pid } = await stateOf(sb, id);
      const r = await sb.runo(["start", id]);
      assert.notEqual(r.code, 0, "start must fail");
      assert.match(oneLineError(r.stderr), /poststart hook\[1\].*exit status 3/);
      assert.ok(await exists(`${out}/first`), "the first hook ran (positive control)");
      assert.ok(!(await exists(`${out}/after`)), "a hook after the failed one ran");
      assert.ok(await waitFor(async () => !(await processAlive(pid))), "the container still runs");
      assert.equal((await stateOf(sb, id)).status, "stopped");
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name: "run -d with a failing poststart hook fails and leaves no container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sleep", "60"],
      config: (c) => c.hooks = { poststart: [FAIL()] },
    });
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-d", "-b", bundle.dir, id], { reap: true });
    assert.notEqual(r.code, 0);
    // runc words it "error running hook #0: ... exit status 3".
    assert.match(oneLineError(r.stderr), /hook(\[0\]| #0).*exit status 3/);
    assert.deepEqual(r.orphans, [], "no process left");
    assert.ok(!(await exists(`${sb.root}/${id}`)), "no state dir left");
  },
});

Deno.test({
  name: "a failing poststop hook is logged and ignored",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sleep", "60"],
      config: (c) => c.hooks = { poststop: [FAIL()] },
    });
    const id = sb.track(uniqueId());
    const run = await sb.runo(["run", "-d", "-b", bundle.dir, id]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await stateOf(sb, id)).status, "running");
    const del = await sb.runo(["delete", "--force", id]);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stderr, /hook(\[0\]| #0).*exit status 3/);
    assert.ok(!(await exists(`${sb.root}/${id}`)));
  },
});

for (const phase of ["prestart", "createContainer"] as const) {
  Deno.test({
    name: `a ${phase} hook past its timeout is killed and create fails`,
    ...needs,
    async fn() {
      await using sb = await sandbox();
      await using bundle = await createBundle({
        args: ["true"],
        config: (c) =>
          c.hooks = {
            [phase]: [{
              path: "/bin/busybox",
              args: ["sh", "-c", "sleep 30"],
              timeout: 1,
            }],
          },
      });
      const id = sb.track(uniqueId());
      const t0 = Date.now();
      const r = await sb.runo(["create", "-b", bundle.dir, id], { reap: true });
      const took = Date.now() - t0;
      assert.notEqual(r.code, 0);
      // runc names no phase: "error running hook #0: hook ran past specified timeout".
      const want = isRunc() ? /timeout/ : new RegExp(`${phase}.*(timeout|timed out)`);
      assert.match(oneLineError(r.stderr), want);
      assert.ok(took < 15_000, `create took ${took} ms`);
      assert.deepEqual(r.orphans, [], "the hook was killed");
      assert.ok(!(await exists(`${sb.root}/${id}`)), "no state dir left");
    },
  });
}
