import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { apparmorOps, lsmWarnings, selinuxExecOps } from "./lsm.ts";
import type { Spec } from "../lib/spec/types.ts";

const spec = (process: Record<string, unknown>): Spec =>
  ({ ociVersion: "1.2.0", process: { user: { uid: 0, gid: 0 }, cwd: "/", ...process } }) as Spec;

Deno.test("apparmorOps() writes exec <profile> to the stacking-aware attr when present", () => {
  const s = spec({ apparmorProfile: "runo-default" });
  assertEquals(apparmorOps(s, { apparmor: true, apparmorAttrDir: true, selinux: false }), [
    { op: "WRITE_FILE", target: "self/attr/apparmor/exec", data: "exec runo-default" },
  ]);
  assertEquals(
    apparmorOps(s, { apparmor: true, selinux: false })[0].target,
    "self/attr/exec",
  );
});

Deno.test("apparmorOps() refuses a profile when AppArmor is not enabled", () => {
  const e = assertThrows(
    () => apparmorOps(spec({ apparmorProfile: "p" }), { apparmor: false, selinux: false }),
    ConfigError,
    "AppArmor is not enabled",
  );
  assertEquals(e.pointer, "/process/apparmorProfile");
  assertEquals(apparmorOps(spec({}), { apparmor: false, selinux: false }), []);
});

Deno.test("selinuxExecOps() refuses a process label without SELinux, as runc and crun fail", () => {
  const s = spec({ selinuxLabel: "system_u:system_r:container_t:s0" });
  const e = assertThrows(() => selinuxExecOps(s, { apparmor: false, selinux: false }), ConfigError);
  assertEquals(e.pointer, "/process/selinuxLabel");
  assertEquals(selinuxExecOps(spec({}), { apparmor: false, selinux: false }), []);
});

Deno.test("a mount label without SELinux plans nothing and warns, as crun", () => {
  const m = { ...spec({}), linux: { mountLabel: "system_u:object_r:container_file_t:s0" } };
  const none = { apparmor: false, selinux: false };
  assertEquals(selinuxExecOps(m, none), []);
  assertEquals(lsmWarnings(m, none).length, 1);
  assertEquals(/mountLabel.*SELinux/.test(lsmWarnings(m, none)[0]), true);
  assertEquals(lsmWarnings(spec({}), none), []);
  // With a process label as well, the process label still fails.
  const both = {
    ...m,
    process: { ...m.process!, selinuxLabel: "system_u:system_r:container_t:s0" },
  };
  assertEquals(
    assertThrows(() => selinuxExecOps(both, none), ConfigError).pointer,
    "/process/selinuxLabel",
  );
});

Deno.test("selinuxExecOps() writes the exec label when SELinux is enabled", () => {
  const s = spec({ selinuxLabel: "system_u:system_r:container_t:s0" });
  assertEquals(selinuxExecOps(s, { apparmor: false, selinux: true }), [
    { op: "WRITE_FILE", target: "self/attr/exec", data: "system_u:system_r:container_t:s0" },
  ]);
});
