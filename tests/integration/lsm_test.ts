// The LSM settings on a host without AppArmor or SELinux, as here: an
// AppArmor profile or a SELinux process label is a clear error (runc and
// crun fail too); a SELinux mount label is ignored with a warning (crun).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { runContainer } from "../fixtures/container.ts";
import { isRunc, oneLineError, requires } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

Deno.test({
  name: "apparmorProfile on a host without AppArmor is a clear error",
  ...needs,
  async fn() {
    const r = await runContainer(["true"], {
      config: (c) => void (c.process!.apparmorProfile = "runo-test"),
    });
    assert.notEqual(r.code, 0);
    const line = oneLineError(r.stderr);
    // runc: "unable to apply apparmor profile: ... /proc/self/attr/exec: invalid argument".
    if (!isRunc()) assert.match(line, /\/process\/apparmorProfile.*AppArmor is not enabled/);
    assert.ok(r.stateRemoved);
  },
});

Deno.test({
  name:
    "a SELinux process label on a host without SELinux is a clear error (runc and crun fail too)",
  ...needs,
  async fn() {
    const r = await runContainer(["true"], {
      config: (c) => void (c.process!.selinuxLabel = "system_u:system_r:container_t:s0"),
    });
    assert.notEqual(r.code, 0);
    const line = oneLineError(r.stderr);
    // runc: "selinux label is specified in config, but selinux is disabled or not supported".
    if (!isRunc()) assert.match(line, /\/process\/selinuxLabel.*SELinux is disabled/);
    assert.ok(r.stateRemoved);
  },
});

Deno.test({
  name: "a SELinux mount label on a host without SELinux is ignored with a warning, as crun",
  ...needs,
  async fn() {
    const m = await runContainer(["sh", "-c", "echo ran"], {
      config: (c) => void (c.linux!.mountLabel = "system_u:object_r:container_file_t:s0"),
    });
    if (isRunc()) {
      // runo differs on purpose, as crun: a label no SELinux can apply is
      // ignored; runc 1.1.5 passes context= to the /dev tmpfs, which the
      // kernel refuses (EINVAL), and the container does not run.
      assert.notEqual(m.code, 0);
      assert.match(oneLineError(m.stderr), /context=.*invalid argument/);
      assert.equal(m.stdout, "");
      assert.ok(m.stateRemoved);
      return;
    }
    assert.equal(m.code, 0, m.stderr);
    assert.equal(m.stdout.trim(), "ran");
    assert.match(m.stderr, /mountLabel.*SELinux is disabled.*ignored/);
    assert.ok(m.stateRemoved);
  },
});
