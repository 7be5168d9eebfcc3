// What the shim watches a task for beside its processes' exits: OOM kills
// in its cgroup (published as /tasks/oom), and whether its init's exit
// ends the container (its own pid namespace) or leaves processes to kill.
//
// Permissions: --allow-ffi, --allow-read.

import * as E from "../proto/events.ts";
import type { Publisher } from "../events.ts";
import type { Task } from "./process.ts";

/** TaskOOM for each OOM kill in the task's cgroup, until it stops. */
export async function watchOom(task: Task, publisher: Publisher, log: (m: string) => void) {
  try {
    for await (const e of task.runtime.events(task.id, { intervalMs: 2 ** 31 - 1 })) {
      if (e.type === "oom") publisher.publish("/tasks/oom", E.TaskOOM, { containerId: task.id });
    }
  } catch (err) {
    if (task.init.status !== "stopped") log(`oom watch of ${task.id}: ${(err as Error).message}`);
  }
}

/** Whether the bundle's config gives the container a pid namespace of its own. */
export function ownPidNamespace(bundle: string): boolean {
  try {
    const spec = JSON.parse(Deno.readTextFileSync(`${bundle}/config.json`));
    return (spec.linux?.namespaces ?? []).some((n: { type?: string; path?: string }) =>
      n.type === "pid" && !n.path
    );
  } catch {
    return true; // runo's create read it already: unreadable now means gone, nothing to kill
  }
}
