// Terminal ownership (issue 16, item 7): with a terminal and a non-root
// user, the pty the container's process gets is owned by that user, for
// run and for exec, as runc's fixStdioPermissions does (runc chowns the
// stdio's uid, leaving the gid to devpts' gid= option). Each container
// runs under script(1) so that runo has a terminal to proxy.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { host, requires, runoBin, type Sandbox, sandbox, uniqueId } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/** The CLI with `args` under script(1); its output without CR and NUL. */
async function underPty(sb: Sandbox, args: string[]): Promise<string> {
  const cmd = [runoBin(), "--root", sb.root, ...args].map((a) => `'${a}'`).join(" ");
  const r = await host("script", ["-qec", cmd, "/dev/null"], { timeoutMs: 20_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return r.stdout.replaceAll(/\r|\0|\^@/g, "");
}

const PROBE = 't=$(tty); echo "tty=$t owner=$(stat -c %u:%g $t) me=$(id -u)"';

Deno.test({
  name: "run with a terminal and user 1000: the container's pty is owned by uid 1000",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({
      args: ["sh", "-c", PROBE],
      config: (c) => {
        c.process!.terminal = true;
        c.process!.user = { uid: 1000, gid: 1000 };
      },
    });
    const out = await underPty(sb, ["run", "-b", b.dir, sb.track(uniqueId())]);
    // The devpts of the default config has gid=5: the group stays tty.
    assert.match(out, /^tty=\/dev\/pts\/\d+ owner=1000:5 me=1000$/m, out);
  },
});

Deno.test({
  name: "exec -t as user 1000 (and as root, the control) gets a pty owned by the exec'd user",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["sleep", "60"] });
    const id = sb.track(uniqueId());
    assert.equal((await sb.runo(["run", "-d", "-b", b.dir, id])).code, 0);
    const alice = await underPty(sb, ["exec", "-t", "-u", "1000:1000", id, "sh", "-c", PROBE]);
    assert.match(alice, /^tty=\/dev\/pts\/\d+ owner=1000:5 me=1000$/m, alice);
    // Control: root's pty stays root's, so the 1000 above came from the chown.
    const root = await underPty(sb, ["exec", "-t", id, "sh", "-c", PROBE]);
    assert.match(root, /^tty=\/dev\/pts\/\d+ owner=0:5 me=0$/m, root);
  },
});
