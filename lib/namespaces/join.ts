// Namespaces joined by path (linux.namespaces[i].path) are checked in the
// parent before anything is created: the path must be a namespace file of
// the type the entry names. setns(2) in stage 1 would otherwise fail with
// a bare EINVAL, or — for a path that is no namespace at all — after the
// state directory and cgroups exist.
//
// Permissions: --allow-ffi (the NS_GET_NSTYPE ioctl, ffi/userns.ts).

import { load } from "../lazy.ts";
import type { NamespaceType, Spec } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";
import { CLONE_FLAG } from "../bootstrap/clone_flags.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";

/** The OCI type of a CLONE_NEW* flag, for messages. */
export function typeOfFlag(flag: number): NamespaceType | undefined {
  return (Object.keys(CLONE_FLAG) as NamespaceType[]).find((t) => CLONE_FLAG[t] === flag);
}

/**
 * Why `actual` (a namespace file's CLONE_NEW* type, 0 for no namespace)
 * does not fit an entry of type `want`; undefined when it does.
 */
export function joinMismatch(
  want: NamespaceType,
  path: string,
  actual: number,
): string | undefined {
  if (actual === CLONE_FLAG[want]) return undefined;
  if (actual === 0) return `"${path}" is not a namespace file`;
  return `"${path}" is a ${
    typeOfFlag(actual) ?? `0x${actual.toString(16)}`
  } namespace, not ${want}`;
}

/** Throws a ConfigError naming the entry whose path is no namespace of its type. */
export async function checkJoinPaths(spec: Spec): Promise<void> {
  const namespaces = spec.linux?.namespaces ?? [];
  if (!namespaces.some((ns) => ns.path)) return;
  const { namespaceType } = await load<typeof import("../../ffi/userns.ts")>("ffi/userns.ts");
  namespaces.forEach((ns, i) => {
    if (!ns.path) return;
    const pointer = `/linux/namespaces/${i}/path`;
    let actual: number;
    try {
      actual = namespaceType(ns.path);
    } catch (err) {
      if (err instanceof SyscallError) throw new ConfigError(pointer, err.message, { cause: err });
      throw err;
    }
    const why = joinMismatch(ns.type, ns.path, actual);
    if (why) throw new ConfigError(pointer, why);
  });
}
