// state and list: read-only views of containers.
//
// Permissions: --allow-ffi, --allow-read.

import { listIds, readState } from "../state/store.ts";
import { type OciState, ociState } from "../state/state.ts";
import { containerStatus } from "./status.ts";

export type { OciState };

export function containerState(root: string, id: string): OciState {
  const state = readState(root, id);
  return ociState(state, containerStatus(root, state));
}

export interface ListResult {
  readonly containers: OciState[];
  /** Entries that could not be read, with why; listed, not fatal. */
  readonly problems: string[];
}

export function listContainers(root: string): ListResult {
  const containers: OciState[] = [];
  const problems: string[] = [];
  for (const id of listIds(root)) {
    try {
      containers.push(containerState(root, id));
    } catch (err) {
      problems.push(`${id}: ${(err as Error).message}`);
    }
  }
  return { containers, problems };
}
