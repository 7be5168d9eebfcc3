// The init's extra fds all at once: --preserve-fds, the createContainer
// hook's state file, the console socket and an idmapped tree each travel
// to the init as an fd of their own (lib/process/child_fds.ts numbers
// them). With every kind present, a wrong number hands one operation
// another's fd: the hook would read no state, the console would fail, the
// mount would attach the wrong tree, or the preserved fd would not be 3.
// Checked from inside (fd 3's content, the mount's owners, the tty) and
// from the hook's output.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import {
  exists,
  isRunc,
  REPO_ROOT,
  requires,
  runoBin,
  sandbox,
  uniqueId,
  waitFor,
} from "../fixtures/runo.ts";
import { ownedFiles, owners } from "./helpers/userns.ts";

const needs = requires("root", "busybox", "cli");

/** tests/fixtures/console_receiver.ts on `socket`, reading until `until`. */
function receiver(socket: string, until: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-ffi",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `${REPO_ROOT}/tests/fixtures/console_receiver.ts`,
      socket,
      "",
      until,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
}

Deno.test({
  name: "preserved fd, hook state file, console socket and idmapped tree each reach their op",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const data = await ownedFiles({ "root-file": [0, 0] });
    const out = await Deno.makeTempDir({ prefix: "runo-initfds-" });
    try {
      await Deno.writeTextFile(`${out}/preserved`, "through-fd-3");
      // runc 1.1.5 predates idmapped mounts: there the plain bind shows host ids.
      const idmap = !isRunc();
      await using bundle = await createBundle({
        args: ["sh", "-c", "echo FD3=$(cat <&3); ls -ln /data; tty; echo MARK$((6*7))"],
        config: (c) => {
          c.process!.terminal = true;
          c.mounts!.push({
            destination: "/data",
            type: "bind",
            source: data,
            options: ["bind"],
            ...(idmap
              ? {
                uidMappings: [{ containerID: 0, hostID: 1234, size: 1 }],
                gidMappings: [{ containerID: 0, hostID: 4321, size: 1 }],
              }
              : {}),
          });
          c.hooks = {
            createContainer: [{ path: "/bin/busybox", args: ["sh", "-c", `cat > ${out}/state`] }],
          };
        },
      });
      await Deno.mkdir(`${bundle.rootfs}/data`);
      const socket = `${out}/console.sock`;
      const rx = receiver(socket, "MARK42");
      assert.ok(await waitFor(() => exists(socket), 10_000), "receiver did not listen");
      const id = sb.track(uniqueId());
      const run = await new Deno.Command("sh", {
        args: [
          "-c",
          `${runoBin()} --root ${sb.root} run -d --preserve-fds 1 --console-socket ${socket} ` +
          `-b ${bundle.dir} ${id} 3<${out}/preserved`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
      const got = await rx.output();
      const text = new TextDecoder().decode(got.stdout).replaceAll("\r", "");
      assert.equal(got.code, 0, text);
      assert.match(text, /^name=\S+ size=/, "the console socket got the master");
      assert.match(text, /\nFD3=through-fd-3\n/, "fd 3 is the preserved file");
      assert.match(text, /\n\/dev\/pts\/\d+\n/, "stdio is the pty");
      assert.deepEqual(owners(text), [idmap ? "root-file 1234 4321" : "root-file 0 0"]);
      const state = JSON.parse(await Deno.readTextFile(`${out}/state`));
      assert.equal(state.id, id, "the hook read the state file on its stdin");
      // The spec's lifecycle: "created" once the environment is set up; runo
      // differs on purpose from runc 1.1.5, which says "creating" until
      // create returns (hooks_test.ts).
      assert.equal(state.status, isRunc() ? "creating" : "created");
    } finally {
      await Deno.remove(data, { recursive: true });
      await Deno.remove(out, { recursive: true });
    }
  },
});
