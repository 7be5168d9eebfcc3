// ffi/errno.ts: each named constant is the number its name has in the
// table errors are named from, and the table agrees with <errno.h>
// numbers the kernel uses (asm-generic/errno-base.h for 1..34).
//
// Permissions: none.

import { assertEquals } from "../../lib/testing/assert.ts";
import * as errno from "../../ffi/errno.ts";

Deno.test("every errno constant of ffi/errno.ts names its own number", () => {
  const constants = Object.entries(errno).filter(([k, v]) =>
    /^E[A-Z0-9]+$/.test(k) && typeof v === "number"
  );
  assertEquals(constants.length > 10, true, "no constants found");
  for (const [name, value] of constants) assertEquals(errno.errnoName(value as number), name);
});

Deno.test("errnoNumber() and errnoName() are inverse on asm-generic's base numbers", () => {
  const base: [string, number][] = [["EPERM", 1], ["ENOENT", 2], ["EINVAL", 22], ["ERANGE", 34]];
  for (const [name, n] of base) {
    assertEquals(errno.errnoNumber(name), n);
    assertEquals(errno.errnoName(n), name);
  }
});
