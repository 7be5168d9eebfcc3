// NOTIFY_SOCKET (sd_notify), as runc: a fake systemd (a python datagram
// listener) is runo's NOTIFY_SOCKET; a static C sender in the rootfs says
// STATUS= then READY=1 to the container's /run/notify/notify.sock. The
// host must see READY=1 and MAINPID=<init pid> only, start must wait for
// READY, and a container that never says it must not hang start or run.
//
// Permissions: read, write, run, env. Needs root, cc (static) and python3.

import assert from "node:assert/strict";
import { type Bundle, createBundle } from "../fixtures/bundle.ts";
import {
  exists,
  host,
  isRunc,
  oneLineError,
  requires,
  runoBin,
  type Sandbox,
  sandbox,
  stateOf,
  uniqueId,
} from "../fixtures/runo.ts";
import { BASE, withUserns } from "./helpers/userns.ts";

const needs = requires("root", "busybox", "cli");

/**
 * runo differs on purpose: runc (1.1.5, and 1.5 still) takes a datagram as
 * READY only when READY= is its first line (bytes.HasPrefix on the whole
 * datagram inside its per-line loop); sd_notify(3) allows it on any line.
 * The tests of what runc forwards have the sender put it first under runc.
 */
const FIRST = isRunc() ? " first" : "";

/**
 * What reaches the host's socket once READY is seen; runo differs on purpose:
 * runc 1.1.5 sends no sd_notify barrier (runc >= 1.2 does, so that systemd
 * can tell the sender's cgroup): under runc the listener ends at its deadline.
 */
const forwarded = (pid: number) =>
  isRunc() ? ["READY=1\n", `MAINPID=${pid}\n`] : ["READY=1\n", `MAINPID=${pid}\n`, "BARRIER=1"];
/** The listener's deadline, in seconds: the end of its wait under runc (no barrier). */
const DEADLINE = isRunc() ? 8 : 15;

// notify DELAY_MS [noready|first]: STATUS=starting, DELAY_MS later READY=1
// on the datagram's second line (first: on its first line).
const SENDER_C = `
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
static int say(const char *msg) {
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	const char *p = getenv("NOTIFY_SOCKET");
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (!p || fd < 0) return 1;
	strncpy(a.sun_path, p, sizeof(a.sun_path) - 1);
	return sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof(a)) < 0;
}
int main(int argc, char **argv) {
	long ms = argc > 1 ? atol(argv[1]) : 0;
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	if (say("STATUS=starting\\n")) return 2;
	nanosleep(&t, 0);
	if (argc > 2 && !strcmp(argv[2], "noready")) return 0;
	if (argc > 2) return say("READY=1\\nSTATUS=up\\nX_OTHER=1") ? 3 : 0;
	return say("X_OTHER=1\\nREADY=1\\nSTATUS=up") ? 3 : 0;
}
`;

// Prints each datagram as a JSON line; exits after BARRIER=1 or at the deadline.
const LISTENER_PY = `
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
end = time.time() + float(sys.argv[2])
while time.time() < end:
    s.settimeout(max(0.01, end - time.time()))
    try:
        d = s.recv(4096).decode()
    except socket.timeout:
        break
    print(json.dumps(d), flush=True)
    if d == "BARRIER=1":
        break
`;

interface FakeSystemd extends AsyncDisposable {
  readonly path: string;
  /** The datagrams received, once the listener has exited. */
  messages(): Promise<string[]>;
}

async function fakeSystemd(seconds: number): Promise<FakeSystemd> {
  const dir = await Deno.makeTempDir({ prefix: "hnt-sd-" });
  const path = `${dir}/notify.sock`;
  const child = new Deno.Command("python3", {
    args: ["-c", LISTENER_PY, path, String(seconds)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = child.output();
  // Wait for the bind.
  for (let i = 0; i < 200 && !(await exists(path)); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  let done: string[] | undefined;
  const messages = async () => {
    done ??= new TextDecoder().decode((await out).stdout).split("\n")
      .filter((l) => l !== "" && l !== "bound").map((l) => JSON.parse(l) as string);
    return done;
  };
  return {
    path,
    messages,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
      await out.catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** A busybox bundle with /notify (the sender), its root writable unless `readonly`. */
async function notifyBundle(args: string[], readonly = false): Promise<Bundle> {
  const bundle = await createBundle({ args, config: (c) => c.root!.readonly = readonly });
  const src = `${bundle.dir}/notify.c`;
  await Deno.writeTextFile(src, SENDER_C);
  const cc = await host("cc", ["-static", "-O2", "-o", `${bundle.rootfs}/notify`, src]);
  assert.equal(cc.code, 0, `cc: ${cc.stderr}`);
  return bundle;
}

/** What the container reports about its notify setup, into /info. */
const INFO = "echo env=$NOTIFY_SOCKET >/info; grep ' /run/notify ' /proc/self/mountinfo >>/info; " +
  "touch /run/notify/x 2>>/info || echo ro >>/info; ";

/** True when runc ARGS is still running 3 s after it was started (then killed). */
async function runcHangs(sb: Sandbox, args: string[], env: Record<string, string>) {
  const child = new Deno.Command(runoBin(), {
    args: ["--root", sb.root, ...args],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const exited = await Promise.race([
    child.status.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 3_000)),
  ]);
  if (!exited) child.kill("SIGKILL");
  await child.status;
  return !exited;
}

async function created(sb: Sandbox, bundle: Bundle, env: Record<string, string>) {
  const id = sb.track(uniqueId());
  const r = await sb.runo(["create", "-b", bundle.dir, id], { env });
  assert.equal(r.code, 0, `create: ${r.stderr}`);
  return id;
}

Deno.test({
  name: "start waits for READY=1 and passes READY=1 and MAINPID on to NOTIFY_SOCKET",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    // Under runc, with READY on the second line, start returns when the init exits.
    const sleep = isRunc() ? 2 : 30;
    await using bundle = await notifyBundle(["sh", "-c", INFO + `/notify 300; sleep ${sleep}`]);
    await using sd = await fakeSystemd(isRunc() ? 6 : 15);
    const env = { NOTIFY_SOCKET: sd.path };
    const id = await created(sb, bundle, env);
    assert.ok(await exists(`${sb.root}/${id}/notify`), "no notify dir after create");
    const { pid } = await stateOf(sb, id);

    const t0 = performance.now();
    const start = await sb.runo(["start", id], { env });
    const took = performance.now() - t0;
    assert.equal(start.code, 0, start.stderr);
    assert.ok(took >= 300, `start returned after ${took.toFixed(0)} ms, before READY`);
    if (isRunc()) {
      // runc saw no READY (not on the first line): it waited for the init's exit.
      assert.ok(took >= sleep * 1000, `runc's start returned after ${took.toFixed(0)} ms`);
      assert.deepEqual(await sd.messages(), []);
    } else {
      assert.deepEqual(await sd.messages(), ["READY=1\n", `MAINPID=${pid}\n`, "BARRIER=1"]);
    }

    const info = await Deno.readTextFile(`${bundle.rootfs}/info`);
    assert.match(info, /^env=\/run\/notify\/notify\.sock$/m);
    assert.match(info, / \/run\/notify ro,nosuid,nodev,noexec/, info);
    assert.match(info, /Read-only file system/, info);
    assert.match(info, /^ro$/m);

    const del = await sb.runo(["delete", "--force", id]);
    assert.equal(del.code, 0, del.stderr);
    assert.ok(!(await exists(`${sb.root}/${id}`)), "delete left the state dir (and notify/)");
  },
});

Deno.test({
  name: "start without NOTIFY_SOCKET forwards nothing to the one create had, as runc and crun",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    // A read-only root: /run/notify is made before the remount.
    await using bundle = await notifyBundle(["sh", "-c", "/notify 0; sleep 30"], true);
    await using sd = await fakeSystemd(3);
    const id = await created(sb, bundle, { NOTIFY_SOCKET: sd.path });
    const start = await sb.runo(["start", id], { timeoutMs: 10_000 });
    assert.equal(start.code, 0, start.stderr);
    assert.equal((await stateOf(sb, id)).status, "running");
    assert.deepEqual(await sd.messages(), []);
  },
});

Deno.test({
  name: "start and run return when the container exits without READY=1",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await notifyBundle(["sh", "-c", "/notify 100 noready; sleep 0.3"]);
    await using sd = await fakeSystemd(4);
    const env = { NOTIFY_SOCKET: sd.path };
    const id = await created(sb, bundle, env);
    const start = await sb.runo(["start", id], { env, timeoutMs: 10_000 });
    assert.equal(start.code, 0, start.stderr);

    if (isRunc()) {
      // runo differs on purpose: runc (1.1.5, and 1.5 still) waits for READY for as
      // long as its own pid lives (notifySocket.run(os.Getpid())), SIGTERM
      // caught: a foreground run whose container never says it never returns.
      assert.ok(await runcHangs(sb, ["run", "-b", bundle.dir, sb.track(uniqueId())], env));
    } else {
      const run = await sb.runo(["run", "-b", bundle.dir, uniqueId()], { env, timeoutMs: 10_000 });
      assert.equal(run.code, 0, run.stderr);
    }
    const runD = await sb.runo(["run", "-d", "-b", bundle.dir, sb.track(uniqueId())], {
      env,
      timeoutMs: 10_000,
    });
    assert.equal(runD.code, 0, runD.stderr);
    assert.deepEqual(await sd.messages(), [], "forwarded without READY=1");
  },
});

Deno.test({
  name: "run -d passes READY on; foreground run too, and keeps the exit code",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await notifyBundle(["sh", "-c", `/notify 100${FIRST}; sleep 30`]);
    await using sd = await fakeSystemd(DEADLINE);
    const env = { NOTIFY_SOCKET: sd.path };
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-d", "-b", bundle.dir, id], { env });
    assert.equal(r.code, 0, r.stderr);
    const { pid } = await stateOf(sb, id);
    assert.deepEqual(await sd.messages(), forwarded(pid));

    await using fg = await notifyBundle(["sh", "-c", `/notify 100${FIRST}; exit 3`]);
    await using sd2 = await fakeSystemd(DEADLINE);
    const run = await sb.runo(["run", "-b", fg.dir, uniqueId()], {
      env: { NOTIFY_SOCKET: sd2.path },
    });
    assert.equal(run.code, 3, run.stderr);
    const got = await sd2.messages();
    assert.equal(got[0], "READY=1\n");
    assert.match(got[1], /^MAINPID=\d+\n$/);
  },
});

Deno.test({
  name: "create with an unusable NOTIFY_SOCKET fails in one line and leaves nothing",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await notifyBundle(["true"]);
    for (const bad of ["/nonexistent/hnt.sock", bundle.dir, "relative.sock"]) {
      const id = uniqueId();
      const r = await sb.runo(["create", "-b", bundle.dir, id], { env: { NOTIFY_SOCKET: bad } });
      if (isRunc()) {
        // runo differs on purpose: runc 1.1.5 takes it at create, and its start
        // starts the container, then fails to dial the socket ("dial unixgram
        // <path>: connect: ..."): the container has run all the same.
        sb.track(id);
        assert.equal(r.code, 0, r.stderr);
        const start = await sb.runo(["start", id], { env: { NOTIFY_SOCKET: bad } });
        assert.notEqual(start.code, 0);
        assert.ok(oneLineError(start.stderr).includes(`dial unixgram ${bad}: connect:`));
        assert.notEqual((await stateOf(sb, id)).status, "created");
        continue;
      }
      assert.notEqual(r.code, 0);
      assert.match(oneLineError(r.stderr), /NOTIFY_SOCKET/);
      assert.ok(!(await exists(`${sb.root}/${id}`)), `state dir left for ${bad}`);
    }
  },
});

Deno.test({
  name: "a container in a user namespace can send to /run/notify/notify.sock",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await notifyBundle(["sh", "-c", `/notify 0${FIRST}; sleep 30`]);
    withUserns(bundle.config);
    await bundle.write();
    await host("chown", ["-R", `${BASE}:${BASE}`, bundle.rootfs]);
    // As runo's own root (0711): the mapped root must get through to notify/.
    await Deno.chmod(sb.root, 0o711);
    await using sd = await fakeSystemd(DEADLINE);
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-d", "-b", bundle.dir, id], {
      env: { NOTIFY_SOCKET: sd.path },
    });
    assert.equal(r.code, 0, r.stderr);
    const { pid } = await stateOf(sb, id);
    assert.deepEqual(await sd.messages(), forwarded(pid));
  },
});
