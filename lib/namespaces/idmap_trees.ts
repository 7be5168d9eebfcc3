// The parent's half of idmapped mounts: builds each detached, idmapped
// tree the config asks for (init/idmapped_mounts.ts decides which) and says
// at which fd the init will find it. The trees are our fds until the init
// has them; dispose closes ours (the init's copies are attached and closed
// by ATTACH_TREE_IN_ROOT).
//
// Permissions: --allow-ffi (only when the config has an idmapped mount).

import { load } from "../lazy.ts";
import type { Spec } from "../spec/types.ts";
import { idmapRequests } from "../../init/idmapped_mounts.ts";
import { close } from "../../ffi/syscalls.ts";
import type { ChildFds } from "../process/child_fds.ts";

export interface IdmapTrees extends Disposable {
  /** Our fds of the trees (added to the init's fd table). */
  readonly fds: readonly number[];
  /** Mount index → the init's fd of its tree. */
  readonly initFds: ReadonlyMap<number, number>;
}

/** Builds the trees and adds each to the init's fd table `childFds`. */
export async function idmapTrees(
  spec: Spec,
  bundle: string,
  childFds: ChildFds,
): Promise<IdmapTrees> {
  const requests = idmapRequests(spec, bundle);
  const fds: number[] = [];
  const initFds = new Map<number, number>();
  const dispose = () => fds.forEach((fd) => close(fd));
  if (requests.length > 0) {
    const { idmappedTree } = await load<typeof import("../../ffi/userns.ts")>("ffi/userns.ts");
    try {
      for (const r of requests) {
        const fd = idmappedTree(r.source, r.recursive, r.uidMap, r.gidMap);
        fds.push(fd);
        initFds.set(r.index, childFds.add(fd));
      }
    } catch (err) {
      dispose();
      throw err;
    }
  }
  return { fds, initFds, [Symbol.dispose]: dispose };
}
