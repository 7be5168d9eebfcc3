import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { at, ConfigError, escapeToken } from "./config_error.ts";
import { parseSpec, parseSpecText } from "./parse.ts";
import { assertConfigError, base, type Case, edited, testRejections } from "./_testing.ts";

testRejections(
  "parseSpec()",
  parseSpec,
  [
    ["ociVersion", "it is missing", (c) => delete c.ociVersion, "/ociVersion", "is required"],
    [
      "ociVersion",
      "it is not a string",
      (c) => c.ociVersion = 1,
      "/ociVersion",
      "must be a string",
    ],
    ["ociVersion", "it is not SemVer", (c) => c.ociVersion = "1.0", "/ociVersion", "not SemVer"],
    [
      "ociVersion",
      "it has a leading zero",
      (c) => c.ociVersion = "1.02.0",
      "/ociVersion",
      "SemVer",
    ],
    [
      "ociVersion",
      "its major is 2",
      (c) => c.ociVersion = "2.0.0",
      "/ociVersion",
      'unsupported runtime spec version "2.0.0": runo reads 1.x configs',
    ],
    [
      "ociVersion",
      "it is a 0.x draft",
      (c) => c.ociVersion = "0.5.0-dev",
      "/ociVersion",
      "unsupported runtime spec version",
    ],
    ["root", "it is not an object", (c) => c.root = "rootfs", "/root", "must be an object"],
    ["root.path", "root has no path", (c) => c.root = {}, "/root/path", "is required"],
    ["root.path", "it is empty", (c) => c.root.path = "", "/root/path", "must not be empty"],
    [
      "root.readonly",
      "it is a string",
      (c) => c.root.readonly = "yes",
      "/root/readonly",
      "boolean",
    ],
    ["hostname", "it is a number", (c) => c.hostname = 5, "/hostname", "must be a string, got 5"],
    ["domainname", "it is an array", (c) => c.domainname = [], "/domainname", "got an array"],
    [
      "annotations",
      "a value is not a string",
      (c) => c.annotations = { "com.example/x": 1 },
      "/annotations/com.example~1x",
      "must be a string",
    ],
    ["mounts", "it is an object", (c) => c.mounts = {}, "/mounts", "must be an array"],
    [
      "a mount",
      "it has no destination",
      (c) => c.mounts = [{ destination: "/a" }, { source: "/x" }],
      "/mounts/1/destination",
      "is required",
    ],
    [
      "a mount",
      "its destination is empty",
      (c) => c.mounts = [{ destination: "" }],
      "/mounts/0/destination",
      "must not be empty",
    ],
    [
      "a mount",
      "an option is not a string",
      (c) => c.mounts = [{ destination: "/a", options: ["ro", 1] }],
      "/mounts/0/options/1",
      "must be a string",
    ],
    [
      "a mount",
      "its type is not a string",
      (c) => c.mounts = [{ destination: "/a", type: true }],
      "/mounts/0/type",
      "must be a string",
    ],
    [
      "an id-mapped mount",
      "it is not a bind mount",
      (c) => c.mounts = [idmapped({ type: "tmpfs", options: [] })],
      "/mounts/0/uidMappings",
      "must be bind mounts",
    ],
    [
      "an id-mapped mount",
      "it has uidMappings only",
      (c) => c.mounts = [idmapped({ gidMappings: undefined })],
      "/mounts/0/uidMappings",
      "need both uidMappings and gidMappings",
    ],
    [
      "an id-mapped mount",
      "its source is relative",
      (c) => c.mounts = [idmapped({ source: "data" })],
      "/mounts/0/source",
      "absolute path for an id-mapped mount",
    ],
    [
      "an id-mapped mount",
      "a mapping has size 0",
      (c) => c.mounts = [idmapped({ gidMappings: [{ containerID: 0, hostID: 1, size: 0 }] })],
      "/mounts/0/gidMappings/0/size",
      "must be greater than 0",
    ],
    ["hooks", "it is an array", (c) => c.hooks = [], "/hooks", "must be an object"],
    [
      "a hook",
      "its path is relative",
      (c) => c.hooks = { prestart: [{ path: "bin/hook" }] },
      "/hooks/prestart/0/path",
      "must be an absolute path",
    ],
    [
      "a hook",
      "it has no path",
      (c) => c.hooks = { poststop: [{ args: [] }] },
      "/hooks/poststop/0/path",
      "is required",
    ],
    [
      "a hook",
      "its timeout is 0",
      (c) => c.hooks = { poststart: [{ path: "/h", timeout: 0 }] },
      "/hooks/poststart/0/timeout",
      "positive number of seconds",
    ],
    [
      "a hook",
      "an env entry has no '='",
      (c) => c.hooks = { createRuntime: [{ path: "/h", env: ["X"] }] },
      "/hooks/createRuntime/0/env/0",
      'no "="',
    ],
    [
      "a hook",
      "an argument is not a string",
      (c) => c.hooks = { startContainer: [{ path: "/h", args: ["h", 2] }] },
      "/hooks/startContainer/0/args/1",
      "must be a string",
    ],
    [
      "a hooks phase",
      "it is not an array",
      (c) => c.hooks = { createContainer: { path: "/h" } },
      "/hooks/createContainer",
      "must be an array",
    ],
  ] satisfies Case[],
);

function idmapped(fields: Record<string, unknown>) {
  const map = [{ containerID: 0, hostID: 100000, size: 65536 }];
  const mount = { destination: "/data", source: "/srv/data", options: ["rbind"] };
  return { ...mount, uidMappings: map, gidMappings: map, ...fields };
}

Deno.test("parseSpec() rejects a document when it is not an object", () => {
  for (const doc of [null, [], "config", 1]) assertConfigError(() => parseSpec(doc), "", "object");
});

Deno.test("parseSpec() accepts every 1.x ociVersion and SemVer prerelease or build", () => {
  for (const v of ["1.0.0", "1.0.2-dev", "1.1.0", "1.2.1", "1.3.0", "1.1.0-rc.1+build.5"]) {
    assertEquals(parseSpec(edited((c) => c.ociVersion = v)).ociVersion, v);
  }
});

Deno.test("parseSpec() accepts a relative mount destination as runc 1.1 does", () => {
  const spec = parseSpec(edited((c) => c.mounts = [{ destination: "tmp", type: "tmpfs" }]));
  assertEquals(spec.mounts, [{ destination: "tmp", type: "tmpfs" }]);
});

Deno.test("parseSpec() accepts an id-mapped bind mount", () => {
  const spec = parseSpec(edited((c) => c.mounts = [idmapped({})]));
  assertEquals(spec.mounts?.[0].uidMappings, [{ containerID: 0, hostID: 100000, size: 65536 }]);
});

Deno.test("parseSpec() leaves out unknown fields and other platforms' sections", () => {
  const spec = parseSpec(edited((c) => {
    c.windows = { layerFolders: [] };
    c.freebsd = {};
    c.process.user.extra = 1;
    c.root.future = true;
  }));
  assertEquals(spec, parseSpec(base()));
  assert(!("windows" in spec));
});

Deno.test("parseSpec() takes a null optional field as absent, as Go does", () => {
  const spec = parseSpec(edited((c) => {
    c.hooks = null;
    c.process.env = null;
  }));
  assertEquals(spec, parseSpec(base()));
});

Deno.test("parseSpec() rejects a null required field as missing", () => {
  assertConfigError(() => parseSpec(edited((c) => c.root.path = null)), "/root/path", "required");
});

Deno.test("parseSpec() keeps every hook phase and field", () => {
  const hook = { path: "/h", args: ["h", "-x"], env: ["A=b"], timeout: 5 };
  const phases = [
    "prestart",
    "createRuntime",
    "createContainer",
    "startContainer",
    "poststart",
    "poststop",
  ];
  const hooks = Object.fromEntries(phases.map((p) => [p, [hook]]));
  assertEquals(parseSpec(edited((c) => c.hooks = hooks)).hooks, hooks);
});

Deno.test("parseSpec() escapes '~' and '/' in pointers (RFC 6901)", () => {
  assertEquals(escapeToken("a~b/c"), "a~0b~1c");
  assertEquals(at("/linux/sysctl", "net/ipv4/x~y"), "/linux/sysctl/net~1ipv4~1x~0y");
  assertConfigError(
    () => parseSpec(edited((c) => c.annotations = { "a~/b": false })),
    "/annotations/a~0~1b",
    "must be a string",
  );
});

Deno.test("parseSpec() keeps a '__proto__' annotation as a plain key", () => {
  const spec = parseSpec(JSON.parse('{"ociVersion":"1.0.0","annotations":{"__proto__":"x"}}'));
  assertEquals(Object.getPrototypeOf(spec.annotations), Object.prototype);
  assertEquals(Object.keys(spec.annotations!), ["__proto__"]);
});

Deno.test("ConfigError says file, pointer and reason in one line", () => {
  const err = new ConfigError("/linux/namespaces/2/type", 'unknown namespace type "usr"');
  assertEquals(err.message, 'config.json: /linux/namespaces/2/type: unknown namespace type "usr"');
  assertEquals(
    err.inFile("p.json").message,
    'p.json: /linux/namespaces/2/type: unknown namespace type "usr"',
  );
  assertEquals(new ConfigError("", "invalid JSON: x").message, "config.json: invalid JSON: x");
});

Deno.test("parseSpecText() rejects bad JSON with pointer '' and the parser's message", () => {
  const err = assertConfigError(() => parseSpecText("{]", "b/config.json"), "", "invalid JSON: ");
  assertEquals(err.file, "b/config.json");
  assert(err.message.startsWith("b/config.json: invalid JSON: "), err.message);
  assert(err.cause instanceof SyntaxError);
});

Deno.test("parseSpecText() names its file in errors from parseSpec()", () => {
  const text = JSON.stringify(edited((c) => c.linux.namespaces[2].type = "usr"));
  const err = assertThrows(() => parseSpecText(text, "/b/config.json"), ConfigError);
  assertEquals(
    err.message,
    '/b/config.json: /linux/namespaces/2/type: unknown namespace type "usr"',
  );
});

Deno.test("parseSpecText() reads a valid config", () => {
  assertEquals(parseSpecText(JSON.stringify(base())), parseSpec(base()));
});
