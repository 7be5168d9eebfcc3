// state and list: read-only views of containers.
//
// Permissions: --allow-ffi, --allow-read.

import { containerDir, listIds, readState } from "../state/store.ts";
import { type OciState, ociState } from "../state/state.ts";
import { containerStatus } from "./status.ts";
import { parsePasswd } from "./passwd.ts";
import { phase } from "../log/trace.ts";

export type { OciState };

/** `state`: owner stays "" as in runc's state (only list fills it in). */
export function containerState(root: string, id: string): OciState {
  const state = readState(root, id);
  phase("state read");
  const status = containerStatus(root, state);
  phase("status");
  return ociState(state, status);
}

export interface ListResult {
  readonly containers: OciState[];
  /** Entries that could not be read, with why; listed, not fatal. */
  readonly problems: string[];
}

export function listContainers(root: string): ListResult {
  const containers: OciState[] = [];
  const problems: string[] = [];
  const names = userNames();
  for (const id of listIds(root)) {
    try {
      const owner = ownerOf(containerDir(root, id), names);
      containers.push({ ...containerState(root, id), owner });
    } catch (err) {
      problems.push(`${id}: ${(err as Error).message}`);
    }
  }
  return { containers, problems };
}

/** runc's list: the user owning the state directory, "#<uid>" when unnamed. */
function ownerOf(dir: string, names: ReadonlyMap<number, string>): string {
  const uid = Deno.statSync(dir).uid;
  if (uid === null) return "";
  return names.get(uid) ?? `#${uid}`;
}

function userNames(): Map<number, string> {
  let text = "";
  try {
    text = Deno.readTextFileSync("/etc/passwd");
  } catch {
    // no passwd: every owner shows as #uid
  }
  const names = new Map<number, string>();
  for (const e of parsePasswd(text)) if (!names.has(e.uid)) names.set(e.uid, e.name);
  return names;
}
