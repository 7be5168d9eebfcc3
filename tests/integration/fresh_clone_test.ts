// A fresh clone passes on its own: the repository's committed HEAD is
// cloned into a temporary directory with nothing beside it (no ../shared,
// no build/), built, and its unit and CLI suites run there. A test that
// needs something the clone does not have must be ignored with its
// reason, never failed (issue 19) and never passed.
//
// Permissions: read, write, run, env.

import assert from "node:assert/strict";
import { host, REPO_ROOT } from "../fixtures/runo.ts";

const hasGit = (await host("sh", ["-c", "command -v git && command -v make"])).code === 0;

/** `cmd args` in `cwd`, output kept for the failure message. */
async function inClone(cwd: string, cmd: string, args: string[], env: Record<string, string>) {
  const r = await host(cmd, args, { cwd, env, timeoutMs: 900_000 });
  assert.equal(
    r.code,
    0,
    `${cmd} ${args.join(" ")} in the clone failed:\n${r.stdout}\n${r.stderr}`,
  );
  assert.doesNotMatch(r.stdout, /killed after timeout/);
  return r.stdout + r.stderr;
}

Deno.test({
  name: "a clone with nothing beside it builds and passes its unit and CLI suites",
  ignore: !hasGit,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "runo-clone-" });
    try {
      const clone = `${dir}/runo`;
      const r = await host("git", ["clone", "--quiet", "--no-hardlinks", REPO_ROOT, clone]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["runo"], "nothing beside");
      // No schema directory from this machine's environment: the clone's
      // own lookup (tests/fixtures/oci_schema.ts) decides.
      const env = { NO_COLOR: "1", RUNO_OCI_SCHEMA_DIR: "" };
      await inClone(clone, "make", ["--no-print-directory", "build"], env);
      const deno = Deno.execPath();
      const flags = ["--allow-read", "--allow-write", "--allow-run", "--allow-env"];
      const suites = [
        ["test", "--no-prompt", "--permit-no-files", "lib/", "init/"],
        // As tests/run.sh's unit+ part.
        [
          "test",
          "--no-prompt",
          "--allow-read",
          "--allow-ffi",
          "--allow-env=RUNO_OCI_SCHEMA_DIR,RUNO_LIBDIR",
          "tests/unit/",
        ],
        ["test", "--no-prompt", ...flags, "tests/cli/"],
      ];
      for (const suite of suites) {
        const out = await inClone(clone, deno, suite, env);
        assert.match(out, /^ok \| \d+ passed/m, `no passing summary for ${suite.join(" ")}`);
        assert.doesNotMatch(out, /^FAILED/m);
        if (suite.includes("tests/unit/")) {
          // Nothing beside the clone has features-schema.json (Debian's
          // schema predates it): those tests say so, ignored.
          assert.match(out, /\(ignored: runtime-spec schema not found: .*\) \.\.\. ignored/);
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
