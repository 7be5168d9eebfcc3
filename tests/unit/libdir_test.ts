// Where runo finds libnsexec.so and runo-init (ffi/libdir.ts), decided
// over a fake probe: the order holds for a compiled binary without
// building one. And the SHA-256 that names the unpacked copies.
//
// Permissions: none (tests/unit runs with --allow-read; these need none).

import { assertEquals } from "../../lib/testing/assert.ts";
import { type LibProbe, locateLibs } from "../../ffi/libdir.ts";
import { sha256Hex } from "../../ffi/sha256.ts";

function probe(over: Partial<LibProbe> & { present?: string[]; vars?: Record<string, string> }) {
  const present = new Set(over.present ?? []);
  return {
    env: (name: string) => over.vars?.[name],
    standalone: over.standalone ?? false,
    execPath: over.execPath ?? "/usr/bin/deno",
    treeDir: over.treeDir ?? "/src/runo",
    hasLibs: (dir: string) => present.has(dir),
  } satisfies LibProbe;
}

Deno.test("locateLibs() takes $RUNO_LIBDIR first, even in a compiled binary with libraries beside it", () => {
  const p = probe({
    vars: { RUNO_LIBDIR: "/opt/runo/lib" },
    standalone: true,
    execPath: "/usr/local/bin/runo",
    present: ["/usr/local/bin", "/src/runo/build"],
  });
  assertEquals(locateLibs(p), { from: "env", dir: "/opt/runo/lib" });
});

Deno.test("locateLibs() in a compiled binary prefers the executable's directory", () => {
  const p = probe({
    standalone: true,
    execPath: "/opt/runo/runo",
    present: ["/opt/runo", "/opt/lib/runo"],
  });
  assertEquals(locateLibs(p), { from: "executable", dir: "/opt/runo" });
});

Deno.test("locateLibs() in a compiled binary then looks in <exe dir>/../lib/runo", () => {
  const p = probe({
    standalone: true,
    execPath: "/usr/local/bin/runo",
    present: ["/usr/local/lib/runo"],
  });
  assertEquals(locateLibs(p), { from: "executable", dir: "/usr/local/lib/runo" });
});

Deno.test("locateLibs() in a compiled binary falls back to the embedded copies", () => {
  const p = probe({
    standalone: true,
    execPath: "/tmp/runo",
    treeDir: "/tmp/deno-compile-runo",
  });
  assertEquals(locateLibs(p), { from: "embedded", dir: "/tmp/deno-compile-runo/build" });
});

Deno.test("locateLibs() from sources uses the checkout's build/, never the deno binary's directory", () => {
  const p = probe({ present: ["/usr/bin", "/src/runo/build"] });
  assertEquals(locateLibs(p), { from: "tree", dir: "/src/runo/build" });
});

Deno.test("locateLibs() from installed sources ($PREFIX/lib/runo/src) uses $PREFIX/lib/runo", () => {
  const p = probe({ treeDir: "/usr/local/lib/runo/src", present: ["/usr/local/lib/runo"] });
  assertEquals(locateLibs(p), { from: "tree", dir: "/usr/local/lib/runo" });
});

Deno.test("locateLibs() with nothing found names the checkout's build/ (the error says where)", () => {
  assertEquals(locateLibs(probe({})), { from: "tree", dir: "/src/runo/build" });
});

Deno.test("sha256Hex() matches the FIPS 180-4 vectors, across parts and block edges", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assertEquals(sha256Hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assertEquals(
    sha256Hex(enc("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assertEquals(
    sha256Hex(enc("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
  assertEquals(sha256Hex(enc("ab"), enc(""), enc("c")), sha256Hex(enc("abc")));
  const million = new Uint8Array(1_000_000).fill(0x61);
  assertEquals(
    sha256Hex(million),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
});
