// The FFI helpers whose common case is a missing file answer it without
// an error made and caught (a command's first costs ~0.3 ms cold):
// pathExists (the status's exec fifo), readKernelFileIfExists (cgroup and
// proc files), listSubdirsKernel (a cgroup create has not made yet),
// waitpidIfChild (an init reaped already).
//
// Permissions: --allow-read, --allow-ffi (libnsexec.so), --allow-env=RUNO_LIBDIR.

import { assertEquals, assertThrows } from "../../lib/testing/assert.ts";
import { isDirectory, pathExists, waitpidIfChild, WNOHANG } from "../../ffi/syscalls.ts";
import { readKernelFile, readKernelFileIfExists } from "../../ffi/kernfs.ts";
import { listSubdirsKernel } from "../../ffi/cgroupfs.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { ENOENT } from "../../ffi/errno.ts";

const EISDIR = 21;

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

Deno.test("readKernelFileIfExists() is null for a missing file; other errors still throw", () => {
  assertEquals(readKernelFileIfExists("/proc/self/no-such-entry"), null);
  assertEquals((readKernelFileIfExists("/proc/self/comm") ?? "").length > 0, true);
  const missing = assertThrows(() => readKernelFile("/proc/self/no-such-entry"), SyscallError);
  assertEquals(missing.errno, ENOENT);
  const dir = assertThrows(() => readKernelFileIfExists("/proc/self"), SyscallError);
  assertEquals(dir.errno, EISDIR);
});

Deno.test("listSubdirsKernel() is [] for a missing directory and lists a real one", () => {
  assertEquals(listSubdirsKernel("/proc/self/no-such-dir"), []);
  assertEquals(listSubdirsKernel("/proc/self").includes("fd"), true);
});

Deno.test("waitpidIfChild() is null for a pid that is no child of ours", () => {
  assertEquals(waitpidIfChild(1, WNOHANG), null);
});

Deno.test("isDirectory() follows a symlink as stat(2) does and is false for anything else", () => {
  assertEquals(isDirectory("/proc"), true);
  assertEquals(isDirectory("/proc/self/cwd"), true);
  assertEquals(isDirectory("/proc/self/comm"), false);
  assertEquals(isDirectory("/proc/self/no-such-dir"), false);
});
