// The pid the hooks run inside the container see on stdin: a process's
// pid in its own pid namespace (spec 1.3: "for hooks executed in the
// container namespaces, it is the pid as seen by the container"; runc
// hands them its init's Getpid()).
//
// Permissions: none.

/** The last NSpid field of /proc/<pid>/status; null without one. */
export function innermostPid(status: string): number | null {
  const line = status.split("\n").find((l) => l.startsWith("NSpid:"));
  const last = line?.slice("NSpid:".length).trim().split(/\s+/).at(-1);
  return last ? Number(last) : null;
}
