// Helpers for lib/spec's tests: a small valid config to edit, and an
// assertion that parsing or validating it fails at an exact pointer.
// Used by tests only.
//
// Permissions: none.

import { assertEquals, assertStringIncludes, assertThrows } from "../testing/assert.ts";
import { ConfigError } from "./config_error.ts";

// deno-lint-ignore no-explicit-any
export type Json = any;

/** A fresh config that parses and validates: the tests' starting point. */
export function base(): Json {
  return {
    ociVersion: "1.0.0",
    root: { path: "rootfs" },
    process: { cwd: "/", args: ["sh"], user: { uid: 0, gid: 0 } },
    linux: {
      namespaces: [{ type: "pid" }, { type: "mount" }, { type: "ipc" }, { type: "uts" }],
    },
  };
}

/** base() changed by `edit`. */
export function edited(edit: (config: Json) => void): Json {
  const config = base();
  edit(config);
  return config;
}

/** Asserts `fn` throws a ConfigError at `pointer` whose reason includes `reason`. */
export function assertConfigError(fn: () => unknown, pointer: string, reason: string): ConfigError {
  const err = assertThrows(fn, ConfigError);
  assertEquals(err.pointer, pointer, `pointer of: ${err.message}`);
  assertStringIncludes(err.reason, reason);
  return err;
}

/** One rejection case: [what, when, edit of base(), pointer, part of the reason]. */
export type Case = readonly [
  what: string,
  when: string,
  edit: (config: Json) => void,
  pointer: string,
  reason: string,
];

/** Registers one Deno.test per case, named "`fn` rejects what when when". */
export function testRejections(
  fnName: string,
  check: (config: Json) => unknown,
  cases: readonly Case[],
) {
  for (const [what, when, edit, pointer, reason] of cases) {
    Deno.test(`${fnName} rejects ${what} when ${when}`, () => {
      assertConfigError(() => check(edited(edit)), pointer, reason);
    });
  }
}
