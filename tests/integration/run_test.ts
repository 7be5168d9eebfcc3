// `runo run` in the foreground: stdio, exit status and the process config
// (args, env, cwd, user, hostname, readonly root), each checked from inside.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { runContainer, shIn } from "../fixtures/container.ts";
import { createBundle } from "../fixtures/bundle.ts";
import { host, REPO_ROOT, requires, runoBin, sandbox, uniqueId } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

function removeNamespace(type: string) {
  return (c: { linux?: { namespaces?: { type: string }[] } }) => {
    c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== type);
  };
}

Deno.test({
  name: "run prints the container's stdout and exits 0",
  ...needs,
  async fn() {
    const r = await runContainer(["echo", "hello", "world"]);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "hello world\n");
    assert.equal(r.code, 0);
  },
});

Deno.test({
  name: "run passes stdin and stderr through",
  ...needs,
  async fn() {
    const r = await runContainer(["sh", "-c", "cat; echo oops >&2"], { stdin: "from stdin\n" });
    assert.equal(r.stdout, "from stdin\n");
    assert.equal(r.stderr, "oops\n");
    assert.equal(r.code, 0);
  },
});

Deno.test({
  name: "run exits with the container's exit code",
  ...needs,
  async fn() {
    const r = await runContainer(["sh", "-c", "exit 3"]);
    assert.equal(r.code, 3, r.stderr);
  },
});

Deno.test({
  name: "run exits 128+n when the container is killed by signal n",
  ...needs,
  async fn() {
    // Without a pid namespace the shell is not an init, so it can kill itself.
    const nine = await runContainer(["sh", "-c", "kill -9 $$"], {
      config: removeNamespace("pid"),
    });
    assert.equal(nine.code, 137, nine.stderr);
    const term = await runContainer(["sh", "-c", "kill -TERM $$; sleep 5"], {
      config: removeNamespace("pid"),
    });
    assert.equal(term.code, 143, term.stderr);
  },
});

Deno.test({
  name: "run deletes the container after it exits",
  ...needs,
  async fn() {
    const r = await runContainer(["true"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stateRemoved, "state dir left after run");
  },
});

Deno.test({
  name: "the process is PID 1 in its pid namespace",
  ...needs,
  async fn() {
    assert.equal(await shIn("echo $$"), "1\n");
  },
});

Deno.test({
  name: "hostname comes from the config",
  ...needs,
  async fn() {
    const out = await shIn("hostname; cat /proc/sys/kernel/hostname", {
      config: (c) => c.hostname = "runo-test-host",
    });
    assert.equal(out, "runo-test-host\nruno-test-host\n");
  },
});

Deno.test({
  name: "process.cwd is the working directory",
  ...needs,
  async fn() {
    assert.equal(
      await shIn("pwd", { config: (c) => c.process!.cwd = "/home/alice" }),
      "/home/alice\n",
    );
    assert.equal(await shIn("pwd", { config: (c) => c.process!.cwd = "/tmp" }), "/tmp\n");
  },
});

Deno.test({
  name: "process.env is the environment, exactly",
  ...needs,
  async fn() {
    const out = await shIn('echo "$FOO|$EMPTY|$PATH|$HOME"; env | sort', {
      config: (c) => c.process!.env = ["FOO=bar baz", "EMPTY=", "PATH=/bin"],
    });
    const [first, ...rest] = out.trimEnd().split("\n");
    // runc adds HOME from /etc/passwd when the config does not set it.
    assert.equal(first, "bar baz||/bin|/root");
    // busybox sh adds PWD, SHLVL; nothing from the host may leak in.
    const names = rest.map((l) => l.split("=")[0]).filter((n) =>
      !["PWD", "SHLVL", "_"].includes(n)
    );
    assert.deepEqual(names.sort(), ["EMPTY", "FOO", "HOME", "PATH"]);
  },
});

Deno.test({
  name: "process.user sets uid, gid and additional gids",
  ...needs,
  async fn() {
    const out = await shIn('id -u; id -g; id -G; echo "$HOME"', {
      config: (c) => c.process!.user = { uid: 1000, gid: 1000, additionalGids: [5] },
    });
    const [uid, gid, groups, home] = out.trimEnd().split("\n");
    assert.equal(home, "/home/alice");
    assert.equal(uid, "1000");
    assert.equal(gid, "1000");
    assert.deepEqual(groups.split(" ").sort(), ["1000", "5"]);
  },
});

Deno.test({
  name: "root.readonly makes / read-only",
  ...needs,
  async fn() {
    const r = await runContainer(["touch", "/x"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Read-only file system/);
    const rw = await runContainer(["sh", "-c", "touch /x && echo wrote"], {
      config: (c) => c.root!.readonly = false,
    });
    assert.equal(rw.stdout, "wrote\n", rw.stderr);
  },
});

Deno.test({
  name: "run --no-pivot runs the container",
  ...needs,
  async fn() {
    const r = await runContainer(["sh", "-c", "echo $$; hostname; ls /bin/busybox"], {
      flags: ["--no-pivot"],
      config: (c) => c.hostname = "nopivot",
    });
    assert.equal(r.stdout, "1\nnopivot\n/bin/busybox\n", r.stderr);
    assert.equal(r.code, 0);
    assert.ok(r.stateRemoved);
  },
});

Deno.test({
  // Every other test goes through build/runo, which runs the bundle
  // (packaging/bundle.sh); `deno run cli.ts` from the sources must work too,
  // including a lazily loaded command and seccomp compiler.
  name: "run works from the sources (deno run cli.ts), not only from the bundle",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sh", "-c", "echo from-sources; cat /proc/self/status | grep ^Seccomp:"],
      config: (c) => {
        c.linux!.seccomp = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [] };
      },
    });
    const id = sb.track(uniqueId());
    const perms = ["--allow-ffi", "--allow-read", "--allow-write", "--allow-env", "--allow-run"];
    const r = await host(Deno.execPath(), [
      "run",
      "--no-prompt",
      ...perms,
      `${REPO_ROOT}/cli.ts`,
      "--root",
      sb.root,
      "run",
      "-b",
      bundle.dir,
      id,
    ]);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^from-sources\nSeccomp:\s+2\n$/);
    assert.equal(r.code, 0);
  },
});

Deno.test({
  // runc's signal handler forwards every signal to the init but SIGCHLD
  // and SIGWINCH (the latter only resizes the terminal it proxies).
  name: "a foreground run forwards SIGUSR1 and SIGTERM to the init, not SIGWINCH",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: [
        "sh",
        "-c",
        "trap 'echo got-USR1' USR1; trap 'echo got-WINCH' WINCH; trap 'echo got-TERM; exit 3' TERM; " +
        "echo ready; while :; do sleep 0.05; done",
      ],
    });
    const id = sb.track(uniqueId());
    const child = new Deno.Command(runoBin(), {
      args: ["--root", sb.root, "run", "-b", bundle.dir, id],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    const until = async (text: string) => {
      while (!out.includes(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stdout ended before "${text}": ${out}`);
        out += value;
      }
    };
    await until("ready\n");
    child.kill("SIGWINCH");
    child.kill("SIGUSR1");
    await until("got-USR1\n");
    child.kill("SIGTERM");
    await until("got-TERM\n");
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, 3);
    assert.doesNotMatch(out, /got-WINCH/);
  },
});
