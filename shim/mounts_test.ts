// Permissions: none.
import { assertEquals } from "../lib/testing/assert.ts";
import { parseOptions } from "./mounts.ts";

Deno.test("parseOptions() of an overlay snapshot: every option is the filesystem's data", () => {
  const p = parseOptions(["index=off", "workdir=/w", "upperdir=/u", "lowerdir=/l1:/l2"]);
  assertEquals(p, {
    flags: 0,
    data: "index=off,workdir=/w,upperdir=/u,lowerdir=/l1:/l2",
    remountRo: false,
  });
});

Deno.test("parseOptions() of a native snapshot's bind: rbind is MS_BIND|MS_REC, rw clears RDONLY", () => {
  assertEquals(parseOptions(["rbind", "rw"]), { flags: 4096 | 16384, data: "", remountRo: false });
});

Deno.test("parseOptions() of a read-only bind asks for the read-only remount", () => {
  const p = parseOptions(["bind", "ro", "nosuid", "nodev"]);
  assertEquals(p.flags, 4096 | 1 | 2 | 4);
  assertEquals(p.remountRo, true);
});

Deno.test("parseOptions() lets a later word undo an earlier one, as containerd reads them", () => {
  assertEquals(parseOptions(["ro", "rw", "noexec", "exec"]).flags, 0);
});
