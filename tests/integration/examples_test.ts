// The programs in examples/ run as the README says, with exactly the
// flags their headers name.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { host, REPO_ROOT, requires, uniqueId } from "../fixtures/runo.ts";

const needs = requires("root", "busybox");

function example(name: string, flags: string[], args: string[] = [], stdin?: string) {
  const file = `${REPO_ROOT}/examples/${name}`;
  return host(Deno.execPath(), ["run", "--no-prompt", ...flags, file, ...args], { stdin });
}

Deno.test({
  name: "examples/run_container.ts runs a bundle and prints what the container wrote",
  ...needs,
  async fn() {
    await using bundle = await createBundle({
      args: ["sh", "-c", "echo pid $$ in $(hostname); echo err >&2; exit 3"],
    });
    const id = uniqueId();
    const root = await Deno.makeTempDir({ prefix: "runo-example-root-" });
    const r = await example(
      "run_container.ts",
      ["--allow-ffi", "--allow-read", "--allow-write", "--allow-env"],
      ["--root", root, bundle.dir, id],
    );
    assert.deepEqual([...Deno.readDirSync(root)], [], "the run removes its state");
    // Proof that --root is used: a root that is a file fails, naming it.
    await Deno.writeTextFile(`${root}/file`, "");
    const bad = await example(
      "run_container.ts",
      ["--allow-ffi", "--allow-read", "--allow-write", "--allow-env"],
      ["--root", `${root}/file`, bundle.dir, uniqueId()],
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`${root}/file`));
    await Deno.remove(root, { recursive: true });
    assert.equal(r.stderr, "");
    assert.equal(
      r.stdout,
      'exit code: 3\nstdout: "pid 1 in runc\\n"\nstderr: "err\\n"\n',
    );
    assert.equal(r.code, 1, "a non-zero container exit makes the example fail");
    const left = await host("sh", ["-c", `ls /run/runo/${id} 2>&1`]);
    assert.notEqual(left.code, 0, "the container's state is removed");
  },
});

Deno.test({
  name: "examples/validate_config.ts checks a config from stdin with no permission at all",
  ...needs,
  async fn() {
    await using bundle = await createBundle({ args: ["echo", "hi"] });
    const good = await example("validate_config.ts", [], [], JSON.stringify(bundle.config));
    assert.equal(good.stderr, "");
    assert.equal(good.stdout, `valid: OCI ${bundle.config.ociVersion}, runs "echo hi" in rootfs\n`);
    assert.equal(good.code, 0);

    bundle.config.linux!.namespaces!.push({ type: "usr" as "user" });
    const bad = await example("validate_config.ts", [], [], JSON.stringify(bundle.config));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^invalid: config\.json: \/linux\/namespaces\/\d+\/type: .*"usr"/);
  },
});
