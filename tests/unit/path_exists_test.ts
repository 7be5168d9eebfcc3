// pathExists (ffi/syscalls.ts), which the status of every command checks
// the exec fifo with: what lstat(2) would tell, never a throw.
//
// Permissions: --allow-read, --allow-ffi (libnsexec.so), --allow-env=RUNO_LIBDIR.

import { assertEquals } from "../../lib/testing/assert.ts";
import { pathExists } from "../../ffi/syscalls.ts";

Deno.test("pathExists() is true for a directory, a file and a symlink itself", () => {
  assertEquals(pathExists("/proc"), true);
  assertEquals(pathExists("/proc/self/stat"), true);
  // /proc/self/cwd is a symlink; O_NOFOLLOW opens the link, as lstat(2) looks at it.
  assertEquals(pathExists("/proc/self/cwd"), true);
});

Deno.test("pathExists() is false for a missing name and a missing parent, without throwing", () => {
  assertEquals(pathExists("/proc/self/no-such-entry"), false);
  assertEquals(pathExists("/no-such-dir-of-runo/exec.fifo"), false);
  assertEquals(pathExists("/proc/self/stat/under-a-file"), false);
});
