// Bad inputs to `create` and `run`: each gives a one-line error on stderr
// naming the problem, a non-zero exit, and leaves nothing behind (no
// <root>/<id> directory, no process: the CLI runs under a child subreaper
// that reports whatever it orphans).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Bundle, type Config, createBundle } from "../fixtures/bundle.ts";
import { created } from "../fixtures/container.ts";
import {
  exists,
  oneLineError,
  requires,
  type Sandbox,
  sandbox,
  stateOf,
  uniqueId,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

interface Case {
  /** Makes the bundle dir to pass with -b (default: the good bundle). */
  bundle?: (good: Bundle) => Promise<string> | string;
  config?: (c: Config) => void;
  id?: string;
  /** What the one error line must contain. */
  says: RegExp | string;
}

/** Runs `create` and then `run` with the case's input; checks each fails cleanly. */
async function expectRejected(c: Case): Promise<void> {
  for (const cmd of ["create", "run"]) {
    await using sb = await sandbox();
    await using good = await createBundle({ args: ["sh", "-c", "echo should not run"] });
    if (c.config) {
      c.config(good.config);
      await good.write();
    }
    const dir = c.bundle ? await c.bundle(good) : good.dir;
    const id = sb.track(c.id ?? uniqueId());
    // Where a path-like id would land if used as a path: nothing may appear there.
    const landing = new URL(id, `file://${sb.root}/`).pathname.replace(/\/$/, "");
    const landedBefore = await exists(landing);
    const r = await sb.runo([cmd, "-b", dir, id], { timeoutMs: 15_000, reap: true });
    assert.notEqual(r.code, 0, `${cmd} succeeded:\n${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stdout, /should not run/, `${cmd} ran the process`);
    const line = oneLineError(r.stderr);
    if (typeof c.says === "string") assert.ok(line.includes(c.says), `${cmd}: ${line}`);
    else assert.match(line, c.says, `${cmd}: ${line}`);
    assert.deepEqual(r.orphans, [], `${cmd} left processes behind`);
    await assertNothingLeft(sb, id);
    if (!landedBefore) assert.ok(!(await exists(landing)), `${cmd} created ${landing}`);
  }
}

async function assertNothingLeft(sb: Sandbox, id: string) {
  if (!id.includes("/") && id !== "." && id !== "..") {
    assert.ok(!(await exists(`${sb.root}/${id}`)), `${sb.root}/${id} left behind`);
  }
  const entries = [];
  // Hidden files (a global lock, say) may stay; nothing else may.
  for await (const e of Deno.readDir(sb.root)) if (!e.name.startsWith(".")) entries.push(e.name);
  assert.deepEqual(entries, [], `left in the state root: ${entries}`);
}

async function editedCopy(good: Bundle, edit: (dir: string) => Promise<void>): Promise<string> {
  await edit(good.dir);
  return good.dir;
}

Deno.test({
  name: "a missing bundle directory is rejected",
  ...needs,
  fn: () => expectRejected({ bundle: (b) => `${b.dir}/does-not-exist`, says: "does-not-exist" }),
});

Deno.test({
  name: "a bundle without config.json is rejected",
  ...needs,
  fn: () =>
    expectRejected({
      bundle: (b) => editedCopy(b, (d) => Deno.remove(`${d}/config.json`)),
      says: "config.json",
    }),
});

Deno.test({
  name: "config.json that is not JSON is rejected",
  ...needs,
  fn: () =>
    expectRejected({
      bundle: (b) => editedCopy(b, (d) => Deno.writeTextFile(`${d}/config.json`, "{bad")),
      says: /json|invalid|unexpected|parse|syntax/i,
    }),
});

Deno.test({
  name: "an init failure names its errno in glibc's words, whatever libc the init has",
  ...needs,
  // A cwd component over NAME_MAX: the init's mkdir fails with ENAMETOOLONG.
  // musl, which links runo-init where musl-gcc is, words it "Filename too
  // long"; runc's Go says "file name too long".
  fn: () =>
    expectRejected({
      config: (c) => c.process!.cwd = `/${"a".repeat(300)}`,
      says: /: File name too long"?$/i,
    }),
});

Deno.test({
  name: "a config failing validation (relative cwd) is rejected",
  ...needs,
  fn: () => expectRejected({ config: (c) => c.process!.cwd = "tmp", says: /cwd/i }),
});

Deno.test({
  name: "an unknown namespace type is rejected",
  ...needs,
  fn: () =>
    expectRejected({
      config: (c) => c.linux!.namespaces!.push({ type: "foo" as "pid" }),
      says: "foo",
    }),
});

Deno.test({
  name: "a missing rootfs is rejected",
  ...needs,
  fn: () =>
    expectRejected({
      bundle: (b) => editedCopy(b, (d) => Deno.remove(`${d}/rootfs`, { recursive: true })),
      says: "rootfs",
    }),
});

Deno.test({
  name: "empty process.args is rejected",
  ...needs,
  fn: () => expectRejected({ config: (c) => c.process!.args = [], says: /args/i }),
});

Deno.test({
  name: "a program missing from the rootfs is reported by create",
  ...needs,
  fn: () =>
    expectRejected({
      config: (c) => c.process!.args = ["nope"],
      // runc's logrus output escapes the quotes: exec: \"nope\": …
      says: /exec: \\?"nope\\?": executable file not found in \$PATH/,
    }),
});

for (const id of ["a/b", "..", "../x", "."]) {
  Deno.test({
    name: `container id ${JSON.stringify(id)} is rejected`,
    ...needs,
    fn: () => expectRejected({ id, says: /id/i }),
  });
}

Deno.test({
  name: "a duplicate id is rejected and the first container is untouched",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sleep", "30"] });
    const id = await created(sb, bundle);
    const { pid } = await stateOf(sb, id);
    const stateBefore = await Deno.readDir(`${sb.root}/${id}`);
    const namesBefore = [];
    for await (const e of stateBefore) namesBefore.push(e.name);

    for (const cmd of ["create", "run"]) {
      const r = await sb.runo([cmd, "-b", bundle.dir, id], { reap: true });
      assert.notEqual(r.code, 0, `${cmd} of a duplicate id succeeded`);
      assert.match(oneLineError(r.stderr), /exist/i);
      assert.deepEqual(r.orphans, [], `${cmd} left processes behind`);
    }
    const after = await stateOf(sb, id);
    assert.equal(after.status, "created");
    assert.equal(after.pid, pid);
    const namesAfter = [];
    for await (const e of Deno.readDir(`${sb.root}/${id}`)) namesAfter.push(e.name);
    assert.deepEqual(namesAfter.sort(), namesBefore.sort());
  },
});

Deno.test({
  name: "commands on an unknown container fail with one line",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    for (
      const args of [["state", "ghost"], ["start", "ghost"], ["kill", "ghost"], ["delete", "ghost"]]
    ) {
      const r = await sb.runo(args);
      assert.notEqual(r.code, 0, `${args[0]} of an unknown id succeeded`);
      oneLineError(r.stderr);
    }
  },
});
