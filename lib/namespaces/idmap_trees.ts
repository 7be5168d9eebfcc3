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

export interface IdmapTrees extends Disposable {
  /** Our fds of the trees, in the order the init receives them. */
  readonly fds: readonly number[];
  /** Mount index → the init's fd of its tree. */
  readonly initFds: ReadonlyMap<number, number>;
}

/** Builds the trees; the init receives them from fd `firstInitFd` on. */
export async function idmapTrees(
  spec: Spec,
  bundle: string,
  firstInitFd: number,
): Promise<IdmapTrees> {
  const requests = idmapRequests(spec, bundle);
  const fds: number[] = [];
  const initFds = new Map<number, number>();
  const dispose = () => fds.forEach((fd) => close(fd));
  if (requests.length > 0) {
    const { idmappedTree } = await load<typeof import("../../ffi/userns.ts")>("ffi/userns.ts");
    try {
      for (const r of requests) {
        initFds.set(r.index, firstInitFd + fds.length);
        fds.push(idmappedTree(r.source, r.recursive, r.uidMap, r.gidMap));
      }
    } catch (err) {
      dispose();
      throw err;
    }
  }
  return { fds, initFds, [Symbol.dispose]: dispose };
}
