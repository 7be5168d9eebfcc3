// The bad-input table of issue #11 (beside tests/integration/bad_input_test.ts,
// which covers the everyday cases): malformed, huge and deeply nested
// config.json, hostile ids, rootfs that is not a directory, a cwd that is a
// file, rlimits out of range, unknown seccomp actions, bad signal names.
// Each is one clear line on stderr and a non-zero exit, with nothing left:
// no state dir, no cgroup named after the id, no host mount of the rootfs,
// no process (the CLI runs under a child subreaper), no host change.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Bundle, type Config, createBundle } from "../fixtures/bundle.ts";
import {
  host,
  isRunc,
  oneLineError,
  requires,
  sandbox,
  stateOf,
  uniqueId,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

interface Case {
  name: string;
  config?: (c: Config) => void;
  /** Edits the bundle on disk after the config is written. */
  bundle?: (b: Bundle) => Promise<void>;
  id?: string;
  /** runo's words (its JSON pointers); asserted under runo. */
  says: RegExp;
  /** What runc 1.1.5 says instead, asserted under runc; default `says`. */
  runc?: RegExp;
  /**
   * Default create alone (run shares its path up to the start); both for
   * the cases where run's own handling could differ.
   */
  cmds?: string[];
}

async function leftovers(id: string, rootfs: string): Promise<string[]> {
  const r = await host("/bin/sh", [
    "-c",
    `find /sys/fs/cgroup -maxdepth 3 -type d -name "$1" 2>/dev/null; grep -F -- "$2" /proc/self/mountinfo`,
    "sh",
    id,
    rootfs,
  ]);
  return r.stdout.split("\n").filter((l) => l !== "");
}

async function expectRejected(c: Case): Promise<void> {
  for (const cmd of c.cmds ?? ["create"]) {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["sh", "-c", "echo should not run"] });
    if (c.config) {
      c.config(b.config);
      await b.write();
    }
    await c.bundle?.(b);
    const id = sb.track(c.id ?? uniqueId());
    const r = await sb.runo([cmd, "-b", b.dir, id], { timeoutMs: 30_000, reap: true });
    assert.notEqual(r.code, 0, `${cmd} succeeded: ${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stdout, /should not run/);
    const line = oneLineError(r.stderr);
    assert.ok(line.length < 400, `${cmd}: an error line of ${line.length} chars`);
    assert.match(line, isRunc() ? c.runc ?? c.says : c.says, `${cmd}: ${line}`);
    assert.deepEqual(r.orphans, [], `${cmd} left processes`);
    const left = [];
    for await (const e of Deno.readDir(sb.root)) if (!e.name.startsWith(".")) left.push(e.name);
    assert.deepEqual(left, [], `${cmd} left in the state root`);
    if (!c.id) assert.deepEqual(await leftovers(id, b.rootfs), [], `${cmd} left cgroups/mounts`);
  }
}

const nest = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

const CASES: Case[] = [
  {
    name: "config.json of 8 MB that breaks off mid-string",
    bundle: (b) =>
      Deno.writeTextFile(
        `${b.dir}/config.json`,
        `{"ociVersion":"1.0.2","x":"${"a".repeat(8 << 20)}`,
      ),
    says: /config\.json: invalid JSON/,
    runc: /unexpected EOF/,
    cmds: ["create", "run"],
  },
  {
    name: "config.json with a newline right at the syntax error",
    bundle: (b) => Deno.writeTextFile(`${b.dir}/config.json`, '{"ociVersion":\n\n}'),
    says: /config\.json: invalid JSON/,
    runc: /invalid character '}' looking for beginning of value/,
  },
  {
    name: "process.args nested 100000 arrays deep",
    bundle: async (b) => {
      const text = await Deno.readTextFile(`${b.dir}/config.json`);
      const c = JSON.parse(text);
      c.process.args = "@@";
      await Deno.writeTextFile(
        `${b.dir}/config.json`,
        JSON.stringify(c).replace('"@@"', nest(100000)),
      );
    },
    says: /\/process\/args/,
    runc: /invalid character '\[' exceeded max depth/,
  },
  {
    name: "the root of config.json an array",
    bundle: (b) => Deno.writeTextFile(`${b.dir}/config.json`, nest(50000)),
    says: /config\.json: .*object/,
    runc: /invalid character '\[' exceeded max depth/,
  },
  {
    name: "rootfs a regular file",
    bundle: async (b) => {
      await Deno.remove(b.rootfs, { recursive: true });
      await Deno.writeTextFile(b.rootfs, "");
    },
    says: /rootfs/,
    runc: /not a directory/,
  },
  {
    name: "rootfs a dangling symlink",
    bundle: async (b) => {
      await Deno.remove(b.rootfs, { recursive: true });
      await Deno.symlink("/nonexistent-runo-rootfs", b.rootfs);
    },
    says: /rootfs|nonexistent-runo-rootfs/,
  },
  {
    name: "process.cwd a regular file",
    config: (c) => void (c.process!.cwd = "/etc/passwd"),
    says: /\/etc\/passwd/,
    cmds: ["create", "run"],
  },
  {
    name: "rlimit of an unknown type",
    config: (c) => void (c.process!.rlimits = [{ type: "RLIMIT_FOO", soft: 1, hard: 1 }]),
    says: /\/process\/rlimits\/0\/type/,
    runc: /wrong rlimit value: RLIMIT_FOO/,
  },
  {
    name: "rlimit negative",
    config: (c) => void (c.process!.rlimits = [{ type: "RLIMIT_NOFILE", soft: -1, hard: 10 }]),
    says: /\/process\/rlimits\/0\/soft/,
    runc: /cannot unmarshal number -1 .*process\.rlimits\.soft/,
  },
  {
    name: "rlimit above 2^64",
    config: (c) => void (c.process!.rlimits = [{ type: "RLIMIT_NOFILE", soft: 10, hard: 2 ** 65 }]),
    says: /\/process\/rlimits\/0\/hard/,
    runc: /cannot unmarshal number \d+ .*process\.rlimits\.hard/,
  },
  {
    name: "RLIMIT_NOFILE above the host's hard limit without CAP_SYS_RESOURCE",
    config: (c) =>
      void (c.process!.rlimits = [{ type: "RLIMIT_NOFILE", soft: 1 << 20, hard: 1 << 20 }]),
    says: /RLIMIT_NOFILE|rlimit/i,
    cmds: ["create", "run"],
  },
  {
    name: "seccomp defaultAction unknown",
    config: (c) => void (c.linux!.seccomp = { defaultAction: "SCMP_ACT_FOO" }),
    says: /\/linux\/seccomp\/defaultAction/,
    runc: /SCMP_ACT_FOO is not a valid action/,
  },
  {
    name: "seccomp rule action unknown",
    config: (c) =>
      void (c.linux!.seccomp = {
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{ names: ["getpid"], action: "SCMP_ACT_PWN" }],
      }),
    says: /\/linux\/seccomp\/syscalls\/0\/action/,
    runc: /SCMP_ACT_PWN is not a valid action/,
  },
];

for (const c of CASES) {
  Deno.test({ name: `bad input: ${c.name}`, ...needs, fn: () => expectRejected(c) });
}

for (const id of ["", " ", "a b", "a\nb", "-rf", "x".repeat(256), "é", "a\\b", "$(id)"]) {
  Deno.test({
    name: `bad input: container id ${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…` : id)}`,
    ...needs,
    // runo refuses an id over 255 characters itself; runc fails on its state dir.
    fn: () =>
      expectRejected({
        name: "",
        id,
        says: /id/i,
        runc: id.length > 255 ? /file name too long/ : undefined,
      }),
  });
}

Deno.test({
  name: "bad input: kill with bad signal names leaves the container as it was",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["sleep", "30"] });
    const id = sb.track(uniqueId());
    const started = await sb.runo(["run", "-d", "-b", b.dir, id]);
    assert.equal(started.code, 0, started.stderr);
    const before = await stateOf(sb, id);
    // An empty signal is not here: it means SIGTERM, as in runc (kill_test.ts).
    for (const sig of ["SIGFOO", "FOO", "65", "-9", "9x", "SIG", "sigkill9"]) {
      const r = await sb.runo(["kill", id, sig]);
      assert.notEqual(r.code, 0, `kill ${JSON.stringify(sig)} succeeded`);
      // "-9" reads as an unknown flag, as in runc.
      assert.match(oneLineError(r.stderr), /signal|flag/i, `kill ${JSON.stringify(sig)}`);
    }
    const after = await stateOf(sb, id);
    assert.equal(after.status, "running");
    assert.equal(after.pid, before.pid);
  },
});

Deno.test({
  name: "a process.cwd that does not exist is created inside the rootfs, as runc does",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({
      args: ["sh", "-c", "pwd"],
      config: (c) => void (c.process!.cwd = "/no/such/dir"),
    });
    const r = await sb.runo(["run", "-b", b.dir, sb.track(uniqueId())]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "/no/such/dir");
    assert.ok((await Deno.stat(`${b.rootfs}/no/such/dir`)).isDirectory);
  },
});
