// loadBundleSpec() against the bundles in bundles/. config.json is read
// through ffi/ (libnsexec.so: `make build` first), so these run in
// tests/run.sh's unit+ part, with --allow-read and --allow-ffi.
//
// Permissions: read, ffi.

import { assertEquals, assertRejects } from "../../lib/testing/assert.ts";
import { ConfigError } from "../../lib/spec/config_error.ts";
import { BundleError, loadBundleSpec } from "../../lib/spec/load.ts";

const DATA = new URL("./bundles", import.meta.url).pathname;

Deno.test("loadBundleSpec() returns the spec, real bundle path and absolute rootfs", async () => {
  const loaded = await loadBundleSpec(`${DATA}/bundle/./`);
  assertEquals(loaded.bundle, `${DATA}/bundle`);
  assertEquals(loaded.rootfs, `${DATA}/bundle/rootfs`);
  assertEquals(loaded.spec.root, { path: "rootfs" });
});

Deno.test("loadBundleSpec() resolves a rootfs given through a symlink", async () => {
  const loaded = await loadBundleSpec(`${DATA}/link-bundle`);
  assertEquals(loaded.rootfs, `${DATA}/bundle/rootfs`);
});

Deno.test("loadBundleSpec() rejects a bundle when it does not exist", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/nope`),
    BundleError,
    `Cannot open bundle "${DATA}/nope": No such file or directory`,
  );
});

Deno.test("loadBundleSpec() rejects a bundle when it is a file", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/bundle/config.json`),
    BundleError,
    "Not a directory",
  );
});

Deno.test("loadBundleSpec() rejects a bundle when config.json is missing", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/bundle/rootfs`),
    BundleError,
    `Cannot read "${DATA}/bundle/rootfs/config.json": No such file or directory`,
  );
});

Deno.test("loadBundleSpec() rejects a bundle when its rootfs does not exist", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/no-rootfs`),
    BundleError,
    `rootfs "${DATA}/no-rootfs/missing" does not exist`,
  );
});

Deno.test("loadBundleSpec() rejects a bundle when its rootfs is a file", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/rootfs-file`),
    BundleError,
    `rootfs "${DATA}/rootfs-file/config.json" is not a directory`,
  );
});

Deno.test("loadBundleSpec() rejects a bundle when config.json is invalid, naming the file", async () => {
  const err = await assertRejects(() => loadBundleSpec(`${DATA}/bad-config`), ConfigError);
  assertEquals(
    err.message,
    `${DATA}/bad-config/config.json: /linux/namespaces/0/type: unknown namespace type "usr"`,
  );
});

Deno.test("loadBundleSpec() rejects a bundle when process.args is empty", async () => {
  const err = await assertRejects(() => loadBundleSpec(`${DATA}/no-args`), ConfigError);
  assertEquals(err.pointer, "/process/args");
});
