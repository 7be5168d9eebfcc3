// E2E: containerd runs tasks through runo's own shim, io.containerd.runo.v2
// (build/containerd-shim-runo-v2 on containerd's PATH). One private
// containerd for the file. RUNO_E2E_SHIM=io.containerd.runc.v2 runs the
// same ctr expectations through runc's shim; the scenarios that speak to
// the shim's socket or state directly are runo's only (they say so).
//
// Permissions: read, write, run, env (as root).

import { assert, assertEquals, assertMatch } from "../../lib/testing/assert.ts";
import { host, REPO_ROOT, uniqueId } from "../fixtures/runo.ts";
import { createBundle } from "../fixtures/bundle.ts";
import { cgroupExists, childCgroups, listDir, mountsUnder, pidsMentioning } from "./engines.ts";
import { scenario } from "./scenarios.ts";
import { DeleteResponse } from "../../shim/proto/task.ts";
import {
  ctrd,
  flags,
  IMAGE,
  IS_RUNO,
  remove,
  runDetached,
  RUNO_ONLY,
  RUNTIME,
  serverSocket,
  show,
  sleep,
  stateRoot,
  takeCtrd,
  taskCall,
  taskLine,
  until,
} from "./shim_fixture.ts";

scenario("shim", "ctr run --rm prints the container's output and exit code", async () => {
  const c = await ctrd();
  const r = await c.ctr([
    "run",
    "--rm",
    ...flags(),
    IMAGE,
    uniqueId("s"),
    "sh",
    "-c",
    "echo hello from pid $$; echo to stderr >&2; exit 7",
  ]);
  assertEquals(r.code, 7, show(r));
  assertEquals(r.stdout, "hello from pid 1\n");
  assertEquals(r.stderr.includes("to stderr"), true, show(r));
});

scenario("shim", "exec, pause/resume, metrics, ps, kill and delete of a task", async () => {
  const c = await ctrd();
  const id = uniqueId("s");
  await runDetached(c, id, "sleep", "1000");
  try {
    const ex = await c.ctr([
      "tasks",
      "exec",
      "--exec-id",
      "e1",
      id,
      "sh",
      "-c",
      "echo in $$; exit 5",
    ]);
    assertEquals(ex.code, 5, show(ex));
    assertMatch(ex.stdout, /^in \d+\n$/);
    const bg = await c.ctr(["tasks", "exec", "--detach", "--exec-id", "bg", id, "sleep", "500"]);
    assertEquals(bg.code, 0, show(bg));
    const ps = await c.ctr(["tasks", "ps", id]);
    assertMatch(ps.stdout, /\d+\s+-\n/, show(ps)); // the init
    assertMatch(ps.stdout, /\d+\s+.*bg/, show(ps)); // the exec'd process, by its exec id
    assertEquals((await c.ctr(["tasks", "pause", id])).code, 0);
    assertMatch(await taskLine(c, id), /PAUSED/);
    assertEquals((await c.ctr(["tasks", "resume", id])).code, 0);
    assertMatch(await taskLine(c, id), /RUNNING/);
    const m = await c.ctr(["tasks", "metrics", id]);
    assertEquals(m.code, 0, show(m));
    assertMatch(m.stdout, /pids\.current\s+2\b/, show(m)); // sleep and the exec'd sleep
    assertMatch(m.stdout, /memory\.usage_in_bytes\s+[1-9]\d*/, show(m));
    assertMatch(m.stdout, /cpuacct\.usage\s+[1-9]\d*/, show(m));
    const kill = await c.ctr(["tasks", "kill", "--signal", "SIGKILL", id]);
    assertEquals(kill.code, 0, show(kill));
    await until("the task to stop", async () => /STOPPED/.test(await taskLine(c, id)));
    const del = await c.ctr(["tasks", "delete", id]);
    assertEquals(del.code, 0, show(del));
    assertEquals(await taskLine(c, id), "");
  } finally {
    await remove(c, id);
  }
});

scenario("shim", "Wait and the events carry the real exit status and time", async () => {
  const c = await ctrd();
  const id = uniqueId("s");
  const events = new Deno.Command("ctr", {
    args: ["--address", c.socket, "--namespace", c.namespace, "events"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const text = new Response(events.stdout).text();
  await sleep(300); // subscribed
  const before = Date.now();
  await runDetached(c, id, "sh", "-c", "sleep 0.5; exit 3");
  const ex = await c.ctr(["tasks", "exec", "--exec-id", "x1", id, "true"]);
  assertEquals(ex.code, 0, show(ex));
  await c.ctr(["tasks", "pause", id]);
  await c.ctr(["tasks", "resume", id]);
  await until("the exit", async () => /STOPPED/.test(await taskLine(c, id)));
  const after = Date.now();
  await c.ctr(["tasks", "delete", id]);
  await c.ctr(["containers", "delete", id]);
  await sleep(300);
  events.kill("SIGTERM");
  const lines = (await text).split("\n").filter((l) => l.includes(id));
  for (
    const topic of ["create", "start", "exec-added", "exec-started", "paused", "resumed", "delete"]
  ) {
    assert(
      lines.some((l) => l.includes(`/tasks/${topic}`)),
      `no /tasks/${topic} in:\n${lines.join("\n")}`,
    );
  }
  const exit = lines.find((l) => l.includes("/tasks/exit") && !l.includes('"id":"x1"'));
  assert(exit, `no exit event of the init in:\n${lines.join("\n")}`);
  assertMatch(exit, /"exit_status":3/);
  const at = Date.parse(/"exited_at":"([^"]+)"/.exec(exit)![1]);
  assert(at >= before && at <= after, `exited_at ${new Date(at).toISOString()} not in the run`);
});

scenario("shim", "a terminal: ctr run -t gets a pty and its exit code", async () => {
  const c = await ctrd();
  const line = [
    "ctr",
    "--address",
    c.socket,
    "--namespace",
    c.namespace,
    "run",
    "--rm",
    "-t",
    ...flags(),
    IMAGE,
    uniqueId("s"),
    "sh",
    "-c",
    // The sleep: ctr attaches to the console after start (with runc too).
    "'sleep 1; tty; exit 4'",
  ].join(" ");
  const r = await host("script", ["-qec", line, "/dev/null"]);
  assertEquals(r.code, 4, show(r));
  assertMatch(r.stdout, /\/dev\/pts\/\d+\r*\n/, show(r));
});

scenario("shim", "an overlayfs snapshot is mounted as the rootfs and unmounted after", async () => {
  const c = await ctrd();
  const r = await c.ctr([
    "run",
    "--rm",
    "--snapshotter",
    "overlayfs",
    "--runtime",
    RUNTIME,
    IMAGE,
    uniqueId("s"),
    "sh",
    "-c",
    "grep -c '^overlay / overlay' /proc/mounts; echo x > /written && cat /written",
  ]);
  assertEquals(r.code, 0, show(r));
  assertEquals(r.stdout, "1\nx\n");
  assertEquals(await mountsUnder(c.dir), []);
});

scenario("shim", "in the host's pid namespace, the init's exit kills what it left", async () => {
  const c = await ctrd();
  // The host's pid namespace (a path: joined, not made): $! is a host pid.
  const r = await c.ctr([
    "run",
    "--rm",
    ...flags(),
    "--with-ns",
    `pid:/proc/${Deno.pid}/ns/pid`,
    IMAGE,
    uniqueId("s"),
    "sh",
    "-c",
    "sleep 4321 & echo $!; kill -0 $! && echo alive",
  ], { timeoutMs: 30_000 });
  assertEquals(r.code, 0, show(r)); // ctr got EOF: the sleep holding stdout is gone
  const [pid, alive] = r.stdout.trim().split("\n");
  assertEquals(alive, "alive"); // positive control: it ran while the init did
  await until("the orphan to be killed", async () => (await host("kill", ["-0", pid])).code !== 0);
});

scenario("shim", "containerd restarting reconnects to the running shim", async () => {
  const c = await ctrd();
  const id = uniqueId("s");
  await runDetached(c, id, "sleep", "1000");
  try {
    const pid = (await taskLine(c, id)).split(/\s+/)[1];
    await c.restart();
    assertEquals((await taskLine(c, id)).split(/\s+/).slice(1, 3), [pid, "RUNNING"]);
    const ex = await c.ctr(["tasks", "exec", "--exec-id", "after", id, "sh", "-c", "exit 6"]);
    assertEquals(ex.code, 6, show(ex));
  } finally {
    await remove(c, id);
  }
});

scenario(
  "shim",
  "bad requests get NotFound, AlreadyExists, InvalidArgument, and leave nothing",
  async () => {
    const c = await ctrd();
    const id = uniqueId("s");
    await runDetached(c, id, "sleep", "1000");
    const call = (method: string, req: unknown) => taskCall(c, method, req);
    await using bad = await createBundle({ args: ["true"] });
    try {
      assertEquals(await call("State", { id: "nope" }), "5");
      const bundle = (await host("sh", ["-c", `ls -d ${c.dir}/state/*/${c.namespace}/${id}`]))
        .stdout.trim();
      assertEquals(await call("Create", { id, bundle }), "6");
      // A broken config: InvalidArgument, and no state, cgroup or mount.
      const badId = uniqueId("bad");
      await Deno.writeTextFile(`${bad.dir}/config.json`, '{"ociVersion": "1.0.2", "process": {');
      assertEquals(await call("Create", { id: badId, bundle: bad.dir }), "3");
      // With a terminal too: the console socket that waited for the pty goes.
      assertEquals(await call("Create", { id: badId, bundle: bad.dir, terminal: true }), "3");
      const [server] = await pidsMentioning(serverSocket(c));
      const sockets = (await listDir("/run/runo-shim")).filter((f) => f.startsWith(`${server}-`));
      assertEquals(sockets, []);
      bad.config.process!.args = [];
      await bad.write();
      assertEquals(await call("Create", { id: badId, bundle: bad.dir }), "3");
      // A rootfs mount that cannot be made: the error, and nothing mounted.
      const rootfs = [{
        type: "bind",
        source: "/nonexistent-source",
        target: "",
        options: ["rbind"],
      }];
      assertEquals(await call("Create", { id: badId, bundle: bad.dir, rootfs }), "2");
      assertEquals((await listDir(stateRoot(c))).includes(badId), false);
      assertEquals(await cgroupExists(`${c.namespace}/${badId}`), false);
      assertEquals(await mountsUnder(bad.dir), []);
      // Positive control: the same calls create and delete a good task.
      bad.config.process!.args = ["true"];
      await bad.write();
      assertEquals(await call("Create", { id: badId, bundle: bad.dir }), "0");
      assertEquals((await listDir(stateRoot(c))).includes(badId), true);
      assertEquals(await call("Delete", { id: badId }), "0");
      assertEquals((await listDir(stateRoot(c))).includes(badId), false);
    } finally {
      await remove(c, id);
    }
  },
  RUNO_ONLY,
);

scenario(
  "shim",
  "the launcher answers start and a clean delete without the Deno shim",
  async () => {
    const c = await ctrd();
    const id = uniqueId("s");
    await runDetached(c, id, "sleep", "1000");
    // The launcher alone in a directory: no containerd-shim-runo-v2.sh beside
    // it to fall back to, so only its own answers can succeed.
    const dir = await Deno.makeTempDir({ prefix: "runo-launcher-" });
    try {
      await Deno.copyFile(`${REPO_ROOT}/build/containerd-shim-runo-v2`, `${dir}/shim`);
      await Deno.chmod(`${dir}/shim`, 0o755);
      const common = ["-namespace", c.namespace, "-address", c.socket, "-id", "probe"];
      const start = await host("sh", [
        "-c",
        `cd ${dir} && ./shim "$@" start </dev/null`,
        "sh",
        ...common,
      ]);
      assertEquals(start.code, 0, show(start));
      assertEquals(start.stdout, `unix://${serverSocket(c)}`); // the TypeScript side's path
      assertEquals(await Deno.readTextFile(`${dir}/address`), start.stdout);
      const del = await new Deno.Command(`${dir}/shim`, {
        args: [...common, "-bundle", dir, "delete"],
        stdout: "piped",
      }).output();
      assertEquals(del.code, 0);
      const response = DeleteResponse.decode(del.stdout);
      assertEquals(response.exitStatus, 137);
      assert(Number(response.exitedAt?.seconds) * 1000 > Date.now() - 60_000, "exited_at is now");
      // Positive control: a bundle the server still records goes to the Deno side.
      await Deno.writeTextFile(`${dir}/runo-shim.json`, "{}");
      const kept = await host(`${dir}/shim`, [...common, "-bundle", dir, "delete"]);
      assertEquals(kept.code, 1);
      assertMatch(kept.stderr, /cannot run .*shim\.sh/);
    } finally {
      await Deno.remove(dir, { recursive: true });
      // The claim of "probe" ends with a Create that fails.
      await taskCall(c, "Create", { id: "probe", bundle: "/nonexistent" });
      await remove(c, id);
    }
  },
  RUNO_ONLY,
);

scenario("shim", "kill -9 of the shim server: containerd's shim delete cleans up", async () => {
  const c = await ctrd();
  const id = uniqueId("s");
  await runDetached(c, id, "sleep", "1000");
  const init = Number((await taskLine(c, id)).split(/\s+/)[1]);
  const servers = await pidsMentioning(serverSocket(c));
  assertEquals(servers.length, 1, `servers: ${servers}`);
  assert(await cgroupExists(`${c.namespace}/${id}`), "positive control: the task's cgroup");
  await host("kill", ["-9", String(servers[0])]);
  await until("the task to be gone", async () => !/RUNNING/.test(await taskLine(c, id)));
  await until("the init to be gone", async () => {
    return (await host("kill", ["-0", String(init)])).code !== 0;
  });
  assertEquals((await listDir(stateRoot(c))).includes(id), false);
  assertEquals(await cgroupExists(`${c.namespace}/${id}`), false);
  assertEquals((await mountsUnder(c.dir)).filter((m) => m.includes(id)), []);
  await c.ctr(["tasks", "delete", "--force", id]);
  await c.ctr(["containers", "delete", id]);
}, RUNO_ONLY);

scenario(
  "shim",
  "after a loop of ctr run --rm nothing is left: server, mount, cgroup, state",
  async () => {
    const c = await ctrd();
    for (let i = 0; i < 4; i++) {
      const r = await c.ctr(["run", "--rm", ...flags(), IMAGE, uniqueId("loop"), "true"]);
      assertEquals(r.code, 0, show(r));
    }
    if (IS_RUNO) {
      // The server lingers RUNO_SHIM_LINGER_MS after its last task, then goes.
      await until(
        "the shim server to exit",
        async () => (await pidsMentioning(serverSocket(c))).length === 0,
      );
    }
    assertEquals(await mountsUnder(c.dir), []);
    assertEquals(await listDir(stateRoot(c)), []);
    if (IS_RUNO) {
      // The server removes its (empty) state root as it goes.
      assertEquals((await listDir("/run/containerd/runo")).includes(c.namespace), false);
    }
    assertEquals(await childCgroups(c.namespace), []);
    assertEquals((await c.ctr(["tasks", "list", "--quiet"])).stdout, "");
  },
);

scenario("shim", "a task started while the idle server exits gets a server", async () => {
  const c = await ctrd();
  // The server exits RUNO_SHIM_LINGER_MS (300) after its last task: start
  // the next one at delays across that moment. A claim the exiting server
  // took would send containerd to a socket that is gone (seen once in CI;
  // the window is a few ms wide, so this samples it rather than hits it).
  for (let delay = 250; delay <= 350; delay += 25) {
    const first = await c.ctr(["run", "--rm", ...flags(), IMAGE, uniqueId("x"), "true"]);
    assertEquals(first.code, 0, show(first));
    await sleep(delay);
    const next = await c.ctr(["run", "--rm", ...flags(), IMAGE, uniqueId("x"), "true"]);
    assertEquals(next.code, 0, `after ${delay} ms: ${show(next)}`);
  }
});

scenario("shim", "stopping containerd leaves no shim, cgroup, mount or container", async () => {
  const c = await takeCtrd();
  await c.shutdown();
  const states = await listDir(stateRoot(c));
  await c.stop();
  // The servers' logs (shim/log.ts) go with the test's containerd.
  await Deno.remove(`/run/runo-shim/${serverSocket(c).replace(/.*\//, "")}.log`).catch(() => {});
  assertEquals(states, []);
  assertEquals(await pidsMentioning(c.dir), []);
  assertEquals(await mountsUnder(c.dir), []);
});
