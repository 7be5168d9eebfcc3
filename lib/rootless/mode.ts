// Rootless mode: whether runo runs without host root (the global
// `--rootless auto|true|false`), and where its state lives then. As runc:
// auto means rootless when the effective uid is not 0 or when runo itself
// runs in a user namespace (uid_map is not the identity of all ids); the
// state root defaults to $XDG_RUNTIME_DIR/runo for a rootless caller with
// XDG_RUNTIME_DIR set, /run/runo otherwise.
//
// Permissions: none (pure); isRootless() needs --allow-ffi with auto (it reads
// /proc/self through ffi/kernfs.ts), defaultStateRoot() --allow-env too.

import { load } from "../lazy.ts";
import { UsageError } from "../commands/args.ts";

/** The identity uid_map: the initial user namespace. */
const IDENTITY = /^\s*0\s+0\s+4294967295\s*$/;

/** True when /proc/self/uid_map text shows a user namespace other than the initial one. */
export function inUserNamespace(uidMap: string): boolean {
  return !IDENTITY.test(uidMap);
}

/** Resolves the flag's value; throws UsageError for another value. */
export function rootlessMode(flag: string | undefined, euid: number, uidMap: string): boolean {
  switch (flag ?? "auto") {
    case "true":
      return true;
    case "false":
      return false;
    case "auto":
      return euid !== 0 || inUserNamespace(uidMap);
    default:
      throw new UsageError(`invalid --rootless value "${flag}": use true, false or auto`);
  }
}

/** The state root: --root when given, else $XDG_RUNTIME_DIR/runo when rootless. */
export function stateRoot(
  root: string | undefined,
  rootless: boolean,
  xdgRuntimeDir: string | undefined,
): string {
  if (root !== undefined) return root;
  if (rootless && xdgRuntimeDir) return `${xdgRuntimeDir.replace(/\/+$/, "")}/runo`;
  return "/run/runo";
}

/** The effective uid in /proc/self/status text (second field of "Uid:"). */
export function effectiveUid(status: string): number {
  const m = /^Uid:\s+\d+\s+(\d+)/m.exec(status);
  if (!m) throw new Error("Cannot read the effective uid: no Uid line in /proc/self/status");
  return Number(m[1]);
}

/** Throws UsageError unless the --rootless value is auto, true or false. */
export function checkRootlessFlag(flag: string | undefined): void {
  rootlessMode(flag, 0, "");
}

/**
 * Whether this process is rootless under the --rootless value. The ids
 * come from /proc/self (Deno.uid() would need --allow-sys); only auto reads
 * them.
 */
export async function isRootless(flag: string | undefined): Promise<boolean> {
  if ((flag ?? "auto") !== "auto") return rootlessMode(flag, 0, "");
  const { readKernelFile } = await load<typeof import("../../ffi/kernfs.ts")>("ffi/kernfs.ts");
  const euid = effectiveUid(readKernelFile("/proc/self/status"));
  return rootlessMode(flag, euid, euid === 0 ? readKernelFile("/proc/self/uid_map") : "");
}

/**
 * The state root when --root is not given. Without XDG_RUNTIME_DIR it is
 * /run/runo either way, so the ids are not read (that loads the FFI
 * library, which `state` or `list` may not need otherwise).
 */
export async function defaultStateRoot(flag: string | undefined): Promise<string> {
  const xdg = Deno.env.get("XDG_RUNTIME_DIR");
  if (!xdg) return "/run/runo";
  return stateRoot(undefined, await isRootless(flag), xdg);
}
