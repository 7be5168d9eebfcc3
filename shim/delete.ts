// `containerd-shim-runo-v2 … delete`: containerd's clean-up after a shim
// connection closed (every task, in containerd 1.6) or a server that died
// (kill -9). When the server deleted the task, its record in the bundle
// is gone and there is nothing to do; otherwise the container is deleted
// (force) through mod.ts and the rootfs unmounted, as runc's shim does.
// Prints a DeleteResponse (protobuf) for containerd.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import type { ShimFlags } from "./flags.ts";
import { load } from "../lib/lazy.ts";
import { DeleteResponse } from "./proto/task.ts";
import { timestampOf } from "./proto/types.ts";
import { readRecord, RECORD_FILE } from "./record.ts";

const SIGKILL_STATUS = 128 + 9;

export async function deleteShim(flags: ShimFlags): Promise<Uint8Array> {
  const bundle = flags.bundle || Deno.cwd();
  const record = readRecord(bundle);
  const response = {
    pid: record?.pid ?? 0,
    exitStatus: SIGKILL_STATUS,
    exitedAt: timestampOf(Date.now()),
  };
  if (record) {
    const { Runtime } = await load<typeof import("../mod.ts")>("mod.ts");
    const runtime = new Runtime({ root: record.root, systemdCgroup: record.systemdCgroup });
    await runtime.delete(flags.id, { force: true }).catch((err) => {
      if (err?.code !== "NOT_FOUND") throw err;
    });
    const { unmountRootfs } = await load<typeof import("./mounts.ts")>("shim/mounts.ts");
    if (record.rootfs) unmountRootfs(record.rootfs);
    await Deno.remove(`${bundle}/${RECORD_FILE}`).catch(() => {});
  }
  return DeleteResponse.encode(response);
}
