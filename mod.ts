// runo as a library: create and drive OCI containers from Deno without the
// CLI. Importing this module needs no permission and loads no FFI; the
// functions that act on containers load what they need when called and
// fail with an error naming the missing --allow flag.
//
// Permissions: none to import; the container functions need --allow-ffi,
// --allow-read, --allow-write and --allow-env.

export type * from "./lib/spec/types.ts";
export type { ContainerState, Status } from "./lib/state/state.ts";
export type { CreateOptions } from "./lib/container/create.ts";
export type { RunOptions } from "./lib/container/run.ts";
export type { ListResult, OciState } from "./lib/container/query.ts";
export type { Plan, PlanOp } from "./lib/bootstrap/plan.ts";
import type { ContainerState } from "./lib/state/state.ts";
import type { CreateOptions } from "./lib/container/create.ts";
import type { RunOptions } from "./lib/container/run.ts";
import type { ListResult, OciState } from "./lib/container/query.ts";

/** Creates a container and leaves its init waiting for start. */
export async function create(opts: CreateOptions): Promise<ContainerState> {
  return (await import("./lib/container/create.ts")).createContainer(opts);
}

/** create + start; in the foreground resolves to the exit code. */
export async function run(opts: RunOptions): Promise<number> {
  return (await import("./lib/container/run.ts")).runContainer(opts);
}

export async function start(root: string, id: string): Promise<void> {
  (await import("./lib/container/start.ts")).startContainer(root, id);
}

export async function kill(root: string, id: string, signal = 15, all = false): Promise<void> {
  (await import("./lib/container/kill.ts")).killContainer({ root, id, signal, all });
}

export async function remove(root: string, id: string, force = false): Promise<void> {
  await (await import("./lib/container/delete.ts")).deleteContainer(root, id, force);
}

export async function state(root: string, id: string): Promise<OciState> {
  return (await import("./lib/container/query.ts")).containerState(root, id);
}

export async function list(root: string): Promise<ListResult> {
  return (await import("./lib/container/query.ts")).listContainers(root);
}
