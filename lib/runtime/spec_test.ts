// mod.ts's config functions, imported through mod.ts itself: this file
// runs under `deno test` with no permission, which proves that importing
// the library and parsing, validating and generating configs need none.
//
// Permissions: none.

import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { ConfigError, defaultConfig, parseConfig, Runtime, validateConfig } from "../../mod.ts";

Deno.test("mod.ts imports with no permission and its Runtime constructs with none", () => {
  const rt = new Runtime({ root: "/tmp/nowhere" });
  assertEquals(rt.root, "/tmp/nowhere");
  assertEquals(new Runtime().root, "/run/runo");
});

Deno.test("defaultConfig() is valid for create and runs sh, as runc spec's", () => {
  const spec = defaultConfig();
  assertEquals(spec.process?.args, ["sh"]);
  assertEquals(validateConfig(JSON.stringify(spec)).root?.path, "rootfs");
});

Deno.test("defaultConfig({ rootless }) maps the given ids to root", () => {
  const spec = defaultConfig({ rootless: true, uid: 1000, gid: 100 });
  assertEquals(spec.linux?.uidMappings, [{ containerID: 0, hostID: 1000, size: 1 }]);
  assertEquals(spec.linux?.gidMappings, [{ containerID: 0, hostID: 100, size: 1 }]);
});

Deno.test("parseConfig() reads text and values, naming the pointer of a bad field", () => {
  assertEquals(parseConfig({ ociVersion: "1.0.0" }).ociVersion, "1.0.0");
  const err = assertThrows(
    () => parseConfig('{"ociVersion": "1.0.0", "hostname": 3}', "b/config.json"),
    ConfigError,
  );
  assertEquals(err.pointer, "/hostname");
  assert(err.message.startsWith("b/config.json: /hostname: "), err.message);
});

Deno.test("validateConfig() applies create's rules unless forCreate is false", () => {
  const spec = defaultConfig();
  const noArgs = { ...spec, process: { ...spec.process!, args: [] } };
  const err = assertThrows(() => validateConfig(noArgs, { file: "x.json" }), ConfigError);
  assertEquals(err.pointer, "/process/args");
  assertEquals(err.file, "x.json");
  assertEquals(validateConfig(noArgs, { forCreate: false }).process?.args, []);
});

Deno.test("validateConfig() applies runc's cross-field rules (uid mappings need a user namespace)", () => {
  const spec = defaultConfig();
  const mapped = {
    ...spec,
    linux: { ...spec.linux, uidMappings: [{ containerID: 0, hostID: 1000, size: 1 }] },
  };
  const err = assertThrows(() => validateConfig(mapped), ConfigError);
  assert(err.pointer.startsWith("/linux/"), err.pointer);
});
