// E2E: podman (with conmon) runs its containers on runo via `--runtime`.
// One private podman state for the file (see engines.ts), removed at the
// end; each scenario checks from inside the container what was asked.
//
// Permissions: read, write, run, env (as root).

import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "../../lib/testing/assert.ts";
import { host, uniqueId } from "../fixtures/runo.ts";
import {
  cgroupExists,
  childCgroups,
  IMAGE,
  mountsUnder,
  pidsMentioning,
  Podman,
} from "./engines.ts";
import { scenario } from "./scenarios.ts";

let engine: Podman | undefined;
async function podman(): Promise<Podman> {
  engine ??= await Podman.create();
  return engine;
}

function show(r: { code: number; stdout: string; stderr: string }): string {
  return `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

/** `podman run --rm IMAGE sh -c SCRIPT` with extra flags before the image. */
async function runSh(flags: string[], script: string) {
  const p = await podman();
  return await p.run(["run", "--rm", ...flags, IMAGE, "sh", "-c", script]);
}

/** Polls `podman inspect` until the container has the status. */
async function waitStatus(p: Podman, name: string, status: string): Promise<string> {
  let last = "";
  for (let i = 0; i < 100; i++) {
    last = (await p.run(["inspect", "--format", "{{.State.Status}}", name])).stdout.trim();
    if (last === status) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

scenario("podman", "run: output and the program's exit code", async () => {
  const r = await runSh([], "echo out; echo err >&2; exit 3");
  assertEquals(r.code, 3, show(r));
  assertEquals(r.stdout, "out\n");
  assertStringIncludes(r.stderr, "err\n");
});

scenario("podman", "exit codes: 127 for a missing program, 126 for a non-executable", async () => {
  const missing = await runSh([], "exec /no/such/program");
  assertEquals(missing.code, 127, show(missing));
  const p = await podman();
  const notFound = await p.run(["run", "--rm", IMAGE, "/no/such/program"]);
  assertEquals(notFound.code, 127, show(notFound));
  assertMatch(notFound.stderr, /\/no\/such\/program.*(no such file|not found)/i);
  const notExec = await p.run(["run", "--rm", IMAGE, "/etc/passwd"]);
  assertEquals(notExec.code, 126, show(notExec));
});

scenario("podman", "run -d, logs, top, stop (SIGTERM then SIGKILL), rm", async () => {
  const p = await podman();
  const name = uniqueId("p");
  try {
    const started = await p.run([
      "run",
      "-d",
      "--name",
      name,
      IMAGE,
      "sh",
      "-c",
      "echo started; exec sleep 1000",
    ]);
    assertEquals(started.code, 0, show(started));
    assertEquals(await waitStatus(p, name, "running"), "running");
    let logs = "";
    for (let i = 0; i < 50 && !logs.includes("started"); i++) {
      logs = (await p.run(["logs", name])).stdout;
      if (!logs.includes("started")) await new Promise((r) => setTimeout(r, 100));
    }
    assertEquals(logs, "started\n");
    const top = await p.run(["top", name, "pid", "args"]);
    assertEquals(top.code, 0, show(top));
    assertMatch(top.stdout, /^\s*1\s+sleep 1000\s*$/m, show(top));
    // sleep as pid 1 ignores SIGTERM: podman falls back to SIGKILL.
    const stopped = await p.run(["stop", "--time", "1", name]);
    assertEquals(stopped.code, 0, show(stopped));
    const state = await p.run([
      "inspect",
      "--format",
      "{{.State.Status}} {{.State.ExitCode}}",
      name,
    ]);
    assertEquals(state.stdout.trim(), "exited 137");
    const rm = await p.run(["rm", name]);
    assertEquals(rm.code, 0, show(rm));
    const ps = await p.run(["ps", "--all", "--quiet", "--filter", `name=${name}`]);
    assertEquals(ps.stdout.trim(), "");
  } finally {
    // A failed step must not leave the container to the next scenarios.
    await p.run(["rm", "--force", "--time", "0", name]);
  }
});

scenario("podman", "kill: the signal reaches pid 1 and wait reports it", async () => {
  const p = await podman();
  const name = uniqueId("p");
  let other = "";
  try {
    // A shell that reports SIGUSR1 and exits 42 on it.
    const script = "trap 'echo got-usr1; exit 42' USR1; echo ready; while :; do sleep 0.1; done";
    const started = await p.run(["run", "-d", "--name", name, IMAGE, "sh", "-c", script]);
    assertEquals(started.code, 0, show(started));
    assertEquals(await waitStatus(p, name, "running"), "running");
    const killed = await p.run(["kill", "--signal", "USR1", name]);
    assertEquals(killed.code, 0, show(killed));
    const waited = await p.run(["wait", name]);
    assertEquals(waited.stdout.trim(), "42", show(waited));
    assertStringIncludes((await p.run(["logs", name])).stdout, "got-usr1");
    const k9 = await p.run(["run", "-d", IMAGE, "sleep", "1000"]);
    const id = k9.stdout.trim();
    other = id;
    assertEquals(await waitStatus(p, id, "running"), "running");
    assertEquals((await p.run(["kill", id])).code, 0);
    assertEquals((await p.run(["wait", id])).stdout.trim(), "137");
    assertEquals((await p.run(["rm", name, id])).code, 0);
  } finally {
    // A failed step must not leave the container to the next scenarios.
    await p.run(["rm", "--force", "--time", "0", name, ...(other ? [other] : [])]);
  }
});

scenario("podman", "--user sets uid and gid inside", async () => {
  const r = await runSh(["--user", "1000:1000"], "grep -E '^(Uid|Gid):' /proc/self/status; id -un");
  assertEquals(r.code, 0, show(r));
  assertMatch(r.stdout, /^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
  assertMatch(r.stdout, /^Gid:\s+1000\s+1000\s+1000\s+1000$/m);
  assertStringIncludes(r.stdout, "alice");
});

scenario("podman", "--read-only makes / read-only (and /tmp a tmpfs)", async () => {
  const r = await runSh(
    ["--read-only"],
    "awk '$5==\"/\"{print $6}' /proc/self/mountinfo; touch /x 2>&1; touch /tmp/y && echo tmp-ok",
  );
  assertMatch(r.stdout, /^ro[,\n]/, show(r));
  assertStringIncludes(r.stdout, "Read-only file system");
  assertStringIncludes(r.stdout, "tmp-ok");
  const rw = await runSh([], "awk '$5==\"/\"{print $6}' /proc/self/mountinfo");
  assertMatch(rw.stdout, /^rw[,\n]/, show(rw));
});

scenario("podman", "--hostname sets the UTS name", async () => {
  const r = await runSh(["--hostname", "e2e-host"], "hostname; cat /proc/sys/kernel/hostname");
  assertEquals(r.stdout, "e2e-host\ne2e-host\n", show(r));
});

scenario("podman", "--cap-drop/--cap-add set the capability sets", async () => {
  const only = await runSh(
    ["--cap-drop", "ALL", "--cap-add", "NET_RAW"],
    "grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status",
  );
  assertEquals(only.code, 0, show(only));
  for (const set of ["Eff", "Prm", "Bnd"]) {
    assertMatch(only.stdout, new RegExp(`^Cap${set}:\\s+0000000000002000$`, "m"));
  }
  // podman's default set (0xa80425fb) without CHOWN (bit 0).
  const dropped = await runSh(
    ["--cap-drop", "CHOWN"],
    "grep CapEff /proc/self/status; chown 1 /tmp 2>&1",
  );
  assertMatch(dropped.stdout, /CapEff:\s+00000000a80425fa/, show(dropped));
  assertMatch(dropped.stdout, /Operation not permitted/);
});

scenario("podman", "-v bind mounts: read, write back, and :ro", async () => {
  const p = await podman();
  const vol = `${p.dir}/vol-${uniqueId()}`;
  await Deno.mkdir(vol);
  await Deno.writeTextFile(`${vol}/in`, "from-host\n");
  const r = await runSh(["-v", `${vol}:/data`], "cat /data/in; echo from-container > /data/out");
  assertEquals(r.code, 0, show(r));
  assertEquals(r.stdout, "from-host\n");
  assertEquals(await Deno.readTextFile(`${vol}/out`), "from-container\n");
  const ro = await runSh(["-v", `${vol}:/data:ro`], "cat /data/in; echo x > /data/out2");
  assert(ro.code !== 0, show(ro));
  assertStringIncludes(ro.stderr, "Read-only file system");
  let exists = true;
  await Deno.stat(`${vol}/out2`).catch(() => exists = false);
  assertEquals(exists, false);
});

scenario("podman", "--network none: only the loopback interface", async () => {
  const r = await runSh(
    ["--network", "none"],
    "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '",
  );
  assertEquals(r.code, 0, show(r));
  assertEquals(r.stdout, "lo\n");
});

scenario("podman", "env and workdir", async () => {
  const r = await runSh(
    ["-e", "E2E_A=one two", "--env", "E2E_B=2", "-w", "/home/alice"],
    'echo "$E2E_A|$E2E_B|$(pwd)|$PATH"',
  );
  assertEquals(r.code, 0, show(r));
  assertEquals(
    r.stdout,
    "one two|2|/home/alice|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
  );
});

scenario("podman", "--memory and --pids-limit reach the container's cgroups", async () => {
  const r = await runSh(
    ["--memory", "64m", "--pids-limit", "50"],
    "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max",
  );
  assertEquals(r.stdout, "67108864\n50\n", show(r));
}, { needs: ["cgroups"] });

scenario("podman", "exec into a running container", async () => {
  const p = await podman();
  const name = uniqueId("p");
  const started = await p.run(["run", "-d", "--name", name, IMAGE, "sleep", "1000"]);
  assertEquals(started.code, 0, show(started));
  try {
    assertEquals(await waitStatus(p, name, "running"), "running");
    const ex = await p.run([
      "exec",
      "-e",
      "E2E_X=y",
      "-w",
      "/tmp",
      "--user",
      "1000",
      name,
      "sh",
      "-c",
      'echo "$E2E_X $(pwd) $(id -u)"; cat /proc/1/cmdline | tr "\\0" " "; exit 4',
    ]);
    assertEquals(ex.code, 4, show(ex));
    assertEquals(ex.stdout, "y /tmp 1000\nsleep 1000 ");
  } finally {
    await p.run(["rm", "--force", "--time", "0", name]);
  }
}, { needs: ["exec"] });

scenario("podman", "pause and unpause freeze and thaw the container", async () => {
  const p = await podman();
  const name = uniqueId("p");
  const vol = `${p.dir}/tick-${name}`;
  await Deno.mkdir(vol);
  const tick = () => Deno.readTextFile(`${vol}/tick`).catch(() => "");
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // The container counts into a host file: frozen, the count stands still.
  const loop = "i=0; while :; do i=$((i+1)); echo $i > /data/tick; usleep 20000; done";
  await p.run(["run", "-d", "--name", name, "-v", `${vol}:/data`, IMAGE, "sh", "-c", loop]);
  try {
    assertEquals(await waitStatus(p, name, "running"), "running");
    const paused = await p.run(["pause", name]);
    assertEquals(paused.code, 0, show(paused));
    assertEquals(await waitStatus(p, name, "paused"), "paused");
    const frozen = await tick();
    await sleep(300);
    assertEquals(await tick(), frozen, "the count moved while paused");
    const unpaused = await p.run(["unpause", name]);
    assertEquals(unpaused.code, 0, show(unpaused));
    assertEquals(await waitStatus(p, name, "running"), "running");
    await sleep(300);
    assertNotEquals(await tick(), frozen, "the count did not move after unpause");
  } finally {
    await p.run(["rm", "--force", "--time", "0", name]);
  }
}, { needs: ["pause", "cgroups"] });

scenario("podman", "run -t gives the program a terminal", async () => {
  const r = await runSh(
    ["-t"],
    "tty; test -t 0 && echo stdin-tty; test -t 1 && echo stdout-tty; stty -a 2>/dev/null | grep -o -e -*onlcr",
  );
  assertEquals(r.code, 0, show(r));
  // One pty for all three, handed to conmon as runc hands it: ONLCR on.
  assertEquals(r.stdout, "/dev/pts/0\r\nstdin-tty\r\nstdout-tty\r\nonlcr\r\n", show(r));
}, { needs: ["terminal"] });

scenario("podman", "run -i: stdin and stdout are pipes through conmon", async () => {
  const p = await podman();
  const r = await p.run([
    "run",
    "--rm",
    "-i",
    IMAGE,
    "sh",
    "-c",
    "wc -l; readlink /proc/self/fd/0; readlink /proc/self/fd/1",
  ], {
    stdin: "line1\nline2\nline3\n",
  });
  assertEquals(r.code, 0, show(r));
  assertMatch(r.stdout, /^3\npipe:\[\d+\]\npipe:\[\d+\]\n$/, show(r));
});

scenario("podman", "exec -i and exec -t", async () => {
  const p = await podman();
  const name = uniqueId("p");
  try {
    const started = await p.run(["run", "-d", "--name", name, IMAGE, "sleep", "1000"]);
    assertEquals(started.code, 0, show(started));
    const i = await p.run(["exec", "-i", name, "sh", "-c", "cat; exit 6"], {
      stdin: "via-stdin\n",
    });
    assertEquals(i.code, 6, show(i));
    assertEquals(i.stdout, "via-stdin\n");
    // podman exec -t wants a terminal of its own: script(1) gives it one.
    const cmd =
      `${p.command()} exec -t ${name} sh -c 'tty; stty -a 2>/dev/null | grep -o -e -*onlcr; exit 7'`;
    const t = await host("script", ["-qec", cmd, "/dev/null"]);
    assertEquals(t.code, 7, show(t));
    assertMatch(t.stdout, /\/dev\/pts\/\d+\r+\nonlcr\r+\n/, show(t));
  } finally {
    await p.run(["rm", "--force", "--time", "0", name]);
  }
}, { needs: ["exec", "terminal"] });

scenario("podman", "cleanup leaves no container, cgroup, conmon or mount", async () => {
  const p = await podman();
  engine = undefined;
  const ps = await p.run(["ps", "--all", "--quiet"]);
  // runo delete removed each container's cgroup <parent>/libpod-<id>;
  // conmon's own cgroup is podman's.
  const leftCgroups = (await childCgroups(p.cgroupParent)).filter((n) => n !== "conmon");
  const leftStates = await p.leftStates();
  await p.cleanup();
  assertEquals(ps.stdout.trim(), "", "containers left by the scenarios");
  assertEquals(leftCgroups, []);
  assertEquals(leftStates, [], "runtime state dirs left (runo delete not called or failed)");
  assertEquals(await pidsMentioning(p.dir), []);
  assertEquals(await mountsUnder(p.dir), []);
  assertEquals(await cgroupExists(p.cgroupParent), false);
});
