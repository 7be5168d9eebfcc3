// A container without a mount namespace shares the host's mount table: its
// init binds the rootfs onto itself there (init/standard_init.ts
// hostRootfsBind) and mounts the config's mounts under that bind. runc
// leaves them on the host after delete; runo records the bind's mount id
// at procReady and detaches exactly that mount (and everything under it)
// on delete, or after a failed create (by create itself, or by delete
// --force from creating.json when create was killed: lib/container/crashed.ts).
//
// Permissions: --allow-ffi.

import { mountId, umountDetach } from "../../ffi/mounts.ts";

/** The rootfs and the id of the mount on it before the init ran. */
export interface HostRootfsBefore {
  readonly rootfs: string;
  readonly before: string;
}

/** Detaches the top mount at the rootfs if it is not the one that was there before. */
export function undoHostRootfs({ rootfs, before }: HostRootfsBefore): void {
  if (mountId(rootfs) !== before) umountDetach(rootfs);
}

export class HostRootfsMount {
  readonly #rootfs: string;
  /** The mount the rootfs was on before the init ran. */
  readonly #before: string;
  #made?: string;

  private constructor(rootfs: string) {
    this.#rootfs = rootfs;
    this.#before = mountId(rootfs);
  }

  /**
   * Tracks the rootfs of a container without a mount namespace; else
   * undefined. (The caller says which: delete, which imports this module
   * too, evaluates no planner module.)
   */
  static of(hasMountNamespace: boolean, rootfs: string): HostRootfsMount | undefined {
    return hasMountNamespace ? undefined : new HostRootfsMount(rootfs);
  }

  /** At procReady: the init's bind is now the top mount at the rootfs. */
  onReady(): void {
    const now = mountId(this.#rootfs);
    if (now !== this.#before) this.#made = now;
  }

  /** The id state.json keeps, for delete. */
  get record(): string | undefined {
    return this.#made;
  }

  /** What creating.json keeps, for a delete --force after a killed create. */
  get before(): HostRootfsBefore {
    return { rootfs: this.#rootfs, before: this.#before };
  }

  /** After a failed create: detach what the dead init left on the host. */
  undo(): void {
    undoHostRootfs(this.before);
  }
}

/** On delete: detach the rootfs bind if it is still the one recorded. */
export function removeHostRootfsMount(rootfs: string, recorded: string | undefined): void {
  if (recorded !== undefined && mountId(rootfs) === recorded) umountDetach(rootfs);
}
