// ps: the pids in a container's cgroup, and host `ps` output filtered to
// them, as runc's ps (the PID column found from the header line).
//
// Permissions: --allow-ffi, --allow-read, --allow-run (host ps).

import { readState } from "../state/store.ts";
import { StateError } from "../state/state.ts";
import { containerStatus } from "./status.ts";
import { recordedCgroupManager } from "../cgroups/host.ts";

export function containerPids(root: string, id: string): number[] {
  const state = readState(root, id);
  if (containerStatus(root, state) === "stopped") {
    throw new StateError(id, `container ${id} is not running`);
  }
  if (!state.cgroup) return [state.pid];
  return recordedCgroupManager(state.cgroup).pids();
}

/** Keeps the header and the lines whose PID column is one of `pids`. */
export function filterPsOutput(text: string, pids: readonly number[]): string {
  const lines = text.split("\n").filter((l) => l !== "");
  if (lines.length === 0) return "";
  const col = lines[0].trim().split(/\s+/).indexOf("PID");
  if (col < 0) throw new Error(`Cannot find the PID column in ps output: ${lines[0]}`);
  const set = new Set(pids);
  const keep = lines.slice(1).filter((l) => set.has(Number(l.trim().split(/\s+/)[col])));
  return [lines[0], ...keep].join("\n") + "\n";
}

export async function psOutput(pids: readonly number[], args: readonly string[]): Promise<string> {
  const out = await new Deno.Command("ps", { args: args.length ? [...args] : ["-ef"] }).output();
  if (!out.success) {
    throw new Error(`ps ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return filterPsOutput(new TextDecoder().decode(out.stdout), pids);
}
