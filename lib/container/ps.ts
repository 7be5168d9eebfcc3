// ps: the pids in a container's cgroup, and host `ps` output filtered to
// them, as runc's ps (the PID column found from the header line).
//
// Permissions: --allow-ffi, --allow-read, --allow-run (host ps).

import { readState } from "../state/store.ts";
import { containerStatus } from "./status.ts";
import { recordedCgroupManager } from "../cgroups/recorded.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { ENOENT } from "../../ffi/errno.ts";
import { FileError } from "../file_error.ts";

/**
 * The pids in the container's cgroups. A stopped container is no error, as
 * in runc: what is left in its cgroups (processes that outlived an init
 * without a pid namespace), usually none; never its recorded init pid,
 * which the kernel may have given to another process since.
 */
export async function containerPids(root: string, id: string): Promise<number[]> {
  const state = readState(root, id);
  const stopped = containerStatus(root, state) === "stopped";
  if (!state.cgroup) return stopped ? [] : [state.pid];
  try {
    return (await recordedCgroupManager(state.cgroup)).pids();
  } catch (err) {
    if (stopped && err instanceof SyscallError && err.errno === ENOENT) return [];
    throw err;
  }
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
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("ps", { args: args.length ? [...args] : ["-ef"] }).output();
  } catch (err) {
    throw new FileError("run", "ps", err);
  }
  if (!out.success) {
    throw new Error(`ps ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return filterPsOutput(new TextDecoder().decode(out.stdout), pids);
}
