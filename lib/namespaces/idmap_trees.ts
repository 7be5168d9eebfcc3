// The parent's half of bind trees: builds each detached tree the config
// needs (init/idmapped_mounts.ts decides which): an idmapped one for each
// idmapped mount, and, in a user namespace, a plain copy of every other
// bind source, opened here in the host's namespaces where the init's user
// namespace might not reach it. It says at which fd the init will find
// each. The trees are our fds until the init has them; dispose closes ours
// (the init's copies are attached and closed by ATTACH_TREE_IN_ROOT).
//
// Permissions: --allow-ffi (only when the config has such a mount).

import { load } from "../lazy.ts";
import type { Spec } from "../spec/types.ts";
import { hostTreeRequests, idmapRequests } from "../../init/idmapped_mounts.ts";
import { close } from "../../ffi/syscalls.ts";
import type { ChildFds } from "../process/child_fds.ts";

export interface BindTrees extends Disposable {
  /** Our fds of the trees (added to the init's fd table). */
  readonly fds: readonly number[];
  /** Mount index → the init's fd of its tree. */
  readonly initFds: ReadonlyMap<number, number>;
}

/**
 * Builds the trees and adds each to the init's fd table `childFds`;
 * `rootless`: runo has no privilege to clone mounts, nor need to.
 */
export async function bindTrees(
  spec: Spec,
  bundle: string,
  childFds: ChildFds,
  rootless: boolean,
): Promise<BindTrees> {
  const idmapped = idmapRequests(spec, bundle);
  const plain = hostTreeRequests(spec, bundle, rootless);
  const fds: number[] = [];
  const initFds = new Map<number, number>();
  const dispose = () => fds.forEach((fd) => close(fd));
  const add = (index: number, fd: number) => {
    fds.push(fd);
    initFds.set(index, childFds.add(fd));
  };
  try {
    if (idmapped.length > 0) {
      const { idmappedTree } = await load<typeof import("../../ffi/userns.ts")>("ffi/userns.ts");
      for (const r of idmapped) {
        add(r.index, idmappedTree(r.source, r.recursive, r.uidMap, r.gidMap));
      }
    }
    if (plain.length > 0) {
      const { bindTree } = await load<typeof import("../../ffi/mounts.ts")>("ffi/mounts.ts");
      for (const r of plain) add(r.index, bindTree(r.source, r.recursive));
    }
  } catch (err) {
    dispose();
    throw err;
  }
  return { fds, initFds, [Symbol.dispose]: dispose };
}
