// The options containerd passes with a task: runc's (containerd.runc.v1
// Options, from ctr), the CRI's generic ones (runtimeoptions.v1.Options:
// a CRI runtime of a type other than runc's with an options table gets
// those; its ConfigPath is ignored with a note), or none. Root and
// SystemdCgroup are honoured, NoPivotRoot too; BinaryName names a runc
// binary, which runo's shim never runs, so it is ignored with a note, as
// are ShimCgroup (one server serves many tasks) and the CRIU paths
// (checkpoint is not supported). IoUid/IoGid need nothing: the process
// gets the fifos the shim opened, whatever its user.
//
// Permissions: none (the Runtime needs its own when used).

import { Runtime } from "../../mod.ts";
import type { Any } from "../proto/types.ts";
import { CriOptions, RuncOptions } from "../proto/options.ts";
import { Code, ShimError } from "../errors.ts";

/** runc's shim keeps state in <Root>/<namespace>; runo's under its own name. */
export const DEFAULT_ROOT = "/run/containerd/runo";

/** The task's options; empty ones when containerd sent none. */
export function taskOptions(any: Any | undefined, log: (msg: string) => void): RuncOptions {
  if (!any || any.value.length === 0) return RuncOptions.create();
  if (any.typeUrl.endsWith("runtimeoptions.v1.Options")) {
    const { configPath } = CriOptions.decode(any.value);
    if (configPath) {
      log(`CRI option ConfigPath "${configPath}" ignored: runo's shim has no config file`);
    }
    return RuncOptions.create();
  }
  if (!any.typeUrl.endsWith("containerd.runc.v1.Options")) {
    throw new ShimError(
      Code.INVALID_ARGUMENT,
      `task options of type ${any.typeUrl} are not runc's Options`,
    );
  }
  const o = RuncOptions.decode(any.value);
  if (o.binaryName) log(`option BinaryName "${o.binaryName}" ignored: runo runs no runtime binary`);
  if (o.shimCgroup) {
    log(`option ShimCgroup "${o.shimCgroup}" ignored: one runo shim serves many tasks`);
  }
  if (o.criuPath || o.criuImagePath || o.criuWorkPath) {
    log("CRIU options ignored: checkpoint is not supported");
  }
  return o;
}

const runtimes = new Map<string, Runtime>();

/** One Runtime per state root and cgroup driver. */
export function runtimeFor(o: RuncOptions, namespace: string, log: (msg: string) => void): Runtime {
  const root = `${o.root || DEFAULT_ROOT}/${namespace}`;
  const key = `${root}\0${o.systemdCgroup}`;
  let rt = runtimes.get(key);
  if (!rt) {
    rt = new Runtime({
      root,
      systemdCgroup: o.systemdCgroup,
      log: (level, msg) => log(`init ${level}: ${msg}`),
    });
    runtimes.set(key, rt);
  }
  return rt;
}

/** At exit: the state roots this server used, each removed if empty (runc leaves them). */
export function removeEmptyRoots(): void {
  for (const rt of runtimes.values()) {
    try {
      Deno.removeSync(rt.root);
    } catch { /* not empty, or gone */ }
  }
}
