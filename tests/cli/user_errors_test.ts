// Every file path a user gives the CLI, wrong in each way a user gets it
// wrong: the error is one line in runo's words naming the path and the
// errno name (never Deno's "(os error 2)" or "--allow-all"), and the exit
// status is non-zero. Found by listing every Deno fs call reachable from
// a flag or an argument: --root, --log, --bundle and its config.json,
// exec --process, update --resources, spec --bundle. (--pid-file and
// --console-socket need a container: tests/integration/user_errors_test.ts.)
//
// Under RUNO_BIN=runc the same cases must fail in one line naming the
// path; runc's words are Go's ("no such file or directory"), so the errno
// name is checked for runo only.
//
// Permissions: read, write, run, env.

import assert from "node:assert/strict";
import { host, isRunc, oneLineError, requires, sandbox } from "../fixtures/runo.ts";

const needs = requires("cli");

interface Case {
  /** The arguments; DIR is a scratch directory holding the fixtures below. */
  readonly args: string[];
  /** The path the error must name (DIR replaced). */
  readonly path: string;
  /** What runo must say after the path: errno name or reason. */
  readonly says: RegExp;
  /** Why runc is not run on this case, when it is not. */
  readonly runc?: string;
  /** What runc's line names instead of `path`, when it names less. */
  readonly runcNames?: string;
  /** The exit status, when it is not 1. */
  readonly code?: number;
}

const CASES: Record<string, Case> = {
  "--root under /proc": {
    args: ["--root", "/proc/runo-x", "create", "-b", "DIR/bundle", "c1"],
    path: "/proc/runo-x",
    says: /runo does not use paths under \/proc/,
  },
  "--root that is a file (create)": {
    args: ["--root", "DIR/file", "create", "-b", "DIR/bundle", "c1"],
    path: "DIR/file",
    says: /Not a directory \(ENOTDIR\)/,
  },
  "--root that is a file (state)": {
    args: ["--root", "DIR/file", "state", "c1"],
    path: "DIR/file",
    says: /Not a directory \(ENOTDIR\)/,
  },
  "--root that is a file (list)": {
    args: ["--root", "DIR/file", "list"],
    path: "DIR/file",
    says: /Not a directory \(ENOTDIR\)/,
  },
  "--log in a missing directory": {
    args: ["--log", "DIR/no/log", "list"],
    path: "DIR/no/log",
    says: /No such file or directory \(ENOENT\)/,
  },
  "--log that is a directory": {
    args: ["--log", "DIR", "list"],
    path: "DIR",
    says: /Is a directory \(EISDIR\)/,
  },
  "--bundle that does not exist": {
    args: ["create", "-b", "DIR/nope", "c1"],
    path: "DIR/nope",
    says: /No such file or directory \(ENOENT\)/,
  },
  "--bundle that is a file": {
    args: ["create", "-b", "DIR/file", "c1"],
    path: "DIR/file",
    says: /Not a directory \(ENOTDIR\)/,
  },
  "a bundle without config.json": {
    args: ["create", "-b", "DIR/empty", "c1"],
    path: "DIR/empty/config.json",
    says: /No such file or directory \(ENOENT\)/,
    runcNames: "config.json",
  },
  "config.json that is a directory": {
    args: ["create", "-b", "DIR/dir-config", "c1"],
    path: "DIR/dir-config/config.json",
    says: /it is a directory, not a regular file/,
    runcNames: "config.json",
  },
  "config.json that is /dev/zero": {
    args: ["create", "-b", "DIR/zero-config", "c1"],
    path: "DIR/zero-config/config.json",
    says: /it is a character device, not a regular file/,
    runc: "runc's streaming JSON decoder stops at the first NUL byte, naming no file",
  },
  "config.json that is a FIFO nobody writes": {
    args: ["create", "-b", "DIR/fifo-config", "c1"],
    path: "DIR/fifo-config/config.json",
    says: /it is a FIFO, not a regular file/,
    runc: "runc blocks opening the FIFO (seen here: still waiting after 5 s)",
  },
  "config.json larger than 16 MiB": {
    args: ["create", "-b", "DIR/huge-config", "c1"],
    path: "DIR/huge-config/config.json",
    says: /it is larger than 16 MiB, the most runo reads/,
    runc: "runc's decoder stops at the first NUL byte, naming no file",
  },
  "exec --process that does not exist": {
    args: ["exec", "--process", "DIR/nope.json", "c1"],
    path: "DIR/nope.json",
    says: /No such file or directory \(ENOENT\)/,
    code: 255,
    runc: "runc looks the container up first: container does not exist",
  },
  "exec --process that is /dev/zero": {
    args: ["exec", "--process", "/dev/zero", "c1"],
    path: "/dev/zero",
    says: /it is a character device, not a regular file/,
    code: 255,
    runc: "runc looks the container up first: container does not exist",
  },
  "update --resources that does not exist": {
    args: ["update", "-r", "DIR/nope.json", "c1"],
    path: "DIR/nope.json",
    says: /No such file or directory \(ENOENT\)/,
    runc: "runc looks the container up first: container does not exist",
  },
  "update --resources that is a FIFO": {
    args: ["update", "-r", "DIR/fifo", "c1"],
    path: "DIR/fifo",
    says: /it is a FIFO, not a regular file/,
    runc: "runc looks the container up first: container does not exist",
  },
  "spec --bundle that does not exist": {
    args: ["spec", "-b", "DIR/nope"],
    path: "DIR/nope/config.json",
    says: /No such file or directory \(ENOENT\)/,
    runcNames: "DIR/nope",
  },
};

/** The fixtures every case points at, in a fresh directory. */
async function fixtures(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "runo-user-errors-" });
  await Deno.writeTextFile(`${dir}/file`, "x");
  for (const d of ["bundle/rootfs", "empty", "dir-config/config.json"]) {
    await Deno.mkdir(`${dir}/${d}`, { recursive: true });
  }
  const config = JSON.stringify({
    ociVersion: "1.0.2",
    root: { path: "rootfs" },
    process: { args: ["true"], cwd: "/", user: { uid: 0, gid: 0 } },
  });
  await Deno.writeTextFile(`${dir}/bundle/config.json`, config);
  await Deno.mkdir(`${dir}/zero-config`);
  await Deno.symlink("/dev/zero", `${dir}/zero-config/config.json`);
  await Deno.mkdir(`${dir}/fifo-config`);
  for (const fifo of [`${dir}/fifo-config/config.json`, `${dir}/fifo`]) {
    assert.equal((await host("mkfifo", [fifo])).code, 0);
  }
  await Deno.mkdir(`${dir}/huge-config`);
  // Sparse: 17 MiB of zeros that take no disk.
  using huge = await Deno.open(`${dir}/huge-config/config.json`, { write: true, create: true });
  await huge.truncate(17 << 20);
  return dir;
}

/** What no runo error may contain: Deno's own wording. */
const DENO_WORDS = /os error \d+|--allow-all|Requires \w+ access|run again with/;

Deno.test({
  name: "every user-given path that is wrong fails in one line naming it, in runo's words",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const dir = await fixtures();
    try {
      for (const [what, c] of Object.entries(CASES)) {
        if (isRunc() && c.runc) continue; // c.runc says why
        const args = c.args.map((a) => a.replaceAll("DIR", dir));
        // A FIFO that blocked the reader shows as this timeout.
        const r = await sb.runo(args, { timeoutMs: 15_000 });
        assert.equal(r.code, c.code ?? (isRunc() && args[0] === "exec" ? 255 : 1), what);
        const line = oneLineError(r.stderr);
        const names = (isRunc() && c.runcNames) || c.path;
        assert.ok(line.includes(names.replaceAll("DIR", dir)), `${what}: ${line}`);
        if (isRunc()) continue;
        assert.ok(line.startsWith("runo: Cannot "), `${what}: ${line}`);
        assert.match(line, c.says, what);
        assert.doesNotMatch(line, DENO_WORDS, what);
      }
      // create failed every time: nothing was left under --root.
      assert.deepEqual([...Deno.readDirSync(sb.root)].map((e) => e.name), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
