// `runo features`, `--version`, `spec --rootless`, and the commands runo
// has only to refuse (checkpoint, restore), as a black box.
//
// Permissions: read, write, run, env.

import assert from "node:assert/strict";
import { validate } from "../../lib/testing/json_schema.ts";
import { isRunc, oneLineError, requires, runo } from "../fixtures/runo.ts";
import { ociSchema } from "../fixtures/oci_schema.ts";

const needs = requires("cli");
const schema = ociSchema("features-schema.json");

async function features(): Promise<Record<string, never>> {
  const r = await runo(["features"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

Deno.test({
  name: schema.testName("features prints a document that validates against features-schema.json"),
  ignore: needs.ignore || schema.ignore,
  async fn() {
    assert.deepEqual(validate(await features(), "features-schema.json", (f) => schema.load(f)), []);
  },
});

Deno.test({
  name: "features names the hooks, the user namespace and the host's libseccomp",
  ...needs,
  async fn() {
    // deno-lint-ignore no-explicit-any
    const doc: any = await features();
    assert.equal(doc.hooks.length, 6);
    assert.ok(doc.linux.namespaces.includes("user"));
    // This machine has libseccomp (runc links it too): seccomp is enabled.
    assert.equal(doc.linux.seccomp.enabled, true);
    assert.match(doc.annotations["io.github.seccomp.libseccomp.version"], /^\d+\.\d+\.\d+$/);
  },
});

Deno.test({
  name: "features takes no argument",
  ...needs,
  async fn() {
    const r = await runo(["features", "extra"]);
    assert.notEqual(r.code, 0);
    oneLineError(r.stderr);
  },
});

Deno.test({
  name: "--version names the commit, the spec, Deno and libseccomp versions",
  ...needs,
  ignore: needs.ignore || isRunc(),
  async fn() {
    const r = await runo(["--version"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^runo version \S+\ncommit: \S+\nspec: 1\.3\.\d+\ndeno: \d+\.\d+\.\d+\nlibseccomp: \d+\.\d+\.\d+\n$/,
    );
  },
});

for (const cmd of ["checkpoint", "restore"]) {
  Deno.test({
    name: `${cmd} fails with one clear "not supported" line, runc's flags accepted`,
    ...needs,
    ignore: needs.ignore || isRunc(),
    async fn() {
      const flags = cmd === "checkpoint"
        ? ["--image-path", "/tmp/x", "--leave-running"]
        : ["--image-path", "/tmp/x", "-d", "-b", "/tmp"];
      const r = await runo([cmd, ...flags, "some-id"]);
      assert.notEqual(r.code, 0);
      assert.equal(
        oneLineError(r.stderr),
        `runo: ${cmd} is not supported by runo (no CRIU integration)`,
      );
    },
  });
}

Deno.test({
  name: "spec --rootless writes runc's rootless config: user ns mapping our ids, no network ns",
  ...needs,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "runo-spec-" });
    try {
      const r = await runo(["spec", "--rootless", "--bundle", dir]);
      assert.equal(r.code, 0, r.stderr);
      const c = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
      const types = c.linux.namespaces.map((n: { type: string }) => n.type);
      assert.ok(types.includes("user") && !types.includes("network"), String(types));
      const uid = new TextDecoder().decode(
        new Deno.Command("id", { args: ["-u"], stdout: "piped" }).outputSync().stdout,
      ).trim();
      assert.deepEqual(c.linux.uidMappings, [{ containerID: 0, hostID: Number(uid), size: 1 }]);
      assert.equal(c.linux.resources, undefined, "no cgroup resources when rootless");
      // A user namespace may not mount sysfs without a network namespace:
      // runc's ToRootless binds the host's /sys read-only instead.
      const sys = c.mounts.find((m: { destination: string }) => m.destination === "/sys");
      assert.deepEqual(sys, {
        destination: "/sys",
        type: "none",
        source: "/sys",
        options: ["rbind", "nosuid", "noexec", "nodev", "ro"],
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
