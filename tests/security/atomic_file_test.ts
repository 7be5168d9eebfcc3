// writeAtomic (lib/state/atomic_file.ts) writes through `<path>.runo-tmp`:
// a name planted there beforehand — a symlink to a host file, or a stale
// file — is replaced, never written through, and the target gets the text.
//
// Permissions: read, write, env (RUNO_BIN: runo's own function, ignored
// under RUNO_BIN=runc).

import assert from "node:assert/strict";
import { writeAtomic } from "../../lib/state/atomic_file.ts";
import { requires, runoOnly } from "../fixtures/runo.ts";

// Called directly, with no CLI: RUNO_BIN=runc would test runo's code again.
const needs = requires(runoOnly("writeAtomic (lib/state/atomic_file.ts), called without any CLI"));

function inTempDir(fn: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "runo-atomic-" });
  try {
    fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test({
  name: "writeAtomic does not write through a symlink planted at its temp name",
  ...needs,
  fn() {
    inTempDir((dir) => {
      const victim = `${dir}/victim`;
      Deno.writeTextFileSync(victim, "host data");
      Deno.symlinkSync(victim, `${dir}/state.json.runo-tmp`);
      // The plant is in place: writing through the temp name would reach the victim.
      assert.equal(Deno.readTextFileSync(`${dir}/state.json.runo-tmp`), "host data");
      writeAtomic("state file", `${dir}/state.json`, "{}");
      assert.equal(Deno.readTextFileSync(victim), "host data");
      assert.equal(Deno.readTextFileSync(`${dir}/state.json`), "{}");
      assert.ok(Deno.lstatSync(`${dir}/state.json`).isFile);
      assert.throws(() => Deno.lstatSync(`${dir}/state.json.runo-tmp`), Deno.errors.NotFound);
    });
  },
});

Deno.test({
  name: "writeAtomic replaces a stale temp file and a previous target",
  ...needs,
  fn() {
    inTempDir((dir) => {
      Deno.writeTextFileSync(`${dir}/state.json.runo-tmp`, "stale");
      Deno.writeTextFileSync(`${dir}/state.json`, "old");
      writeAtomic("state file", `${dir}/state.json`, "new", 0o600);
      assert.equal(Deno.readTextFileSync(`${dir}/state.json`), "new");
      assert.equal(Deno.statSync(`${dir}/state.json`).mode! & 0o777, 0o600);
      assert.throws(() => Deno.lstatSync(`${dir}/state.json.runo-tmp`), Deno.errors.NotFound);
    });
  },
});

Deno.test({
  name: "writeAtomic names the file when its directory is missing",
  ...needs,
  fn() {
    inTempDir((dir) => {
      assert.throws(
        () => writeAtomic("state file", `${dir}/gone/state.json`, "{}"),
        (err: Error) => err.message.includes(`${dir}/gone/state.json`),
      );
    });
  },
});
