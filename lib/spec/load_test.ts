// loadBundleSpec() against the bundles in testdata/. These need
// --allow-read and --allow-ffi (config.json is read through
// ffi/kernfs.ts), so a run without permissions (`deno test lib/`) reports
// them ignored; `deno test --allow-read --allow-ffi --allow-env
// lib/spec/load_test.ts` runs them.

import { assertEquals, assertRejects } from "../testing/assert.ts";
import { ConfigError } from "./config_error.ts";
import { BundleError, loadBundleSpec } from "./load.ts";

const DATA = new URL("./testdata/", import.meta.url).pathname.replace(/\/$/, "");
const ignore = Deno.permissions.querySync({ name: "read", path: DATA }).state !== "granted" ||
  Deno.permissions.querySync({ name: "ffi" }).state !== "granted";

function test(name: string, fn: () => Promise<void>) {
  Deno.test({ name: `${name}${ignore ? " (needs --allow-read --allow-ffi)" : ""}`, ignore, fn });
}

test("loadBundleSpec() returns the spec, real bundle path and absolute rootfs", async () => {
  const loaded = await loadBundleSpec(`${DATA}/bundle/./`);
  assertEquals(loaded.bundle, `${DATA}/bundle`);
  assertEquals(loaded.rootfs, `${DATA}/bundle/rootfs`);
  assertEquals(loaded.spec.root, { path: "rootfs" });
});

test("loadBundleSpec() resolves a rootfs given through a symlink", async () => {
  const loaded = await loadBundleSpec(`${DATA}/link-bundle`);
  assertEquals(loaded.rootfs, `${DATA}/bundle/rootfs`);
});

test("loadBundleSpec() rejects a bundle when it does not exist", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/nope`),
    BundleError,
    `Cannot open bundle "${DATA}/nope": No such file or directory`,
  );
});

test("loadBundleSpec() rejects a bundle when it is a file", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/bundle/config.json`),
    BundleError,
    "Not a directory",
  );
});

test("loadBundleSpec() rejects a bundle when config.json is missing", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/bundle/rootfs`),
    BundleError,
    `Cannot read "${DATA}/bundle/rootfs/config.json": No such file or directory`,
  );
});

test("loadBundleSpec() rejects a bundle when its rootfs does not exist", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/no-rootfs`),
    BundleError,
    `rootfs "${DATA}/no-rootfs/missing" does not exist`,
  );
});

test("loadBundleSpec() rejects a bundle when its rootfs is a file", async () => {
  await assertRejects(
    () => loadBundleSpec(`${DATA}/rootfs-file`),
    BundleError,
    `rootfs "${DATA}/rootfs-file/config.json" is not a directory`,
  );
});

test("loadBundleSpec() rejects a bundle when config.json is invalid, naming the file", async () => {
  const err = await assertRejects(() => loadBundleSpec(`${DATA}/bad-config`), ConfigError);
  assertEquals(
    err.message,
    `${DATA}/bad-config/config.json: /linux/namespaces/0/type: unknown namespace type "usr"`,
  );
});

test("loadBundleSpec() rejects a bundle when process.args is empty", async () => {
  const err = await assertRejects(() => loadBundleSpec(`${DATA}/no-args`), ConfigError);
  assertEquals(err.pointer, "/process/args");
});
