// `exec --cgroup [<controller>[,<controller>]:]<path>` (runc 1.2): the exec'd
// process joins an existing sub-cgroup of the container's cgroup, in every
// hierarchy (no prefix, given once) or in the named controllers' ones.
// Paths stay below the container's cgroup: ".." that climbs out is refused.
//
// Permissions: none.

/** A bad --cgroup argument (runc's wording). */
export class SubCgroupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubCgroupError";
  }
}

/** Controller ("" for every hierarchy) → path below the container's cgroup. */
export type SubCgroups = ReadonlyMap<string, string>;

/** runc's parseCgroupPaths, with its messages. */
export function parseSubCgroups(args: readonly string[]): SubCgroups | undefined {
  if (args.length === 0) return undefined;
  const paths = new Map<string, string>();
  for (const arg of args) {
    const colon = arg.indexOf(":");
    if (colon < 0) {
      if (args.length !== 1) {
        throw new SubCgroupError(
          `invalid --cgroup argument: ${arg} (missing <controller>: prefix)`,
        );
      }
      paths.set("", checkPath(arg, arg));
      continue;
    }
    const path = checkPath(arg.slice(colon + 1), arg);
    for (const c of arg.slice(0, colon).split(",")) {
      if (c === "") {
        throw new SubCgroupError(`invalid --cgroup argument: ${arg} (empty <controller> prefix)`);
      }
      if (paths.has(c)) {
        throw new SubCgroupError(
          `invalid --cgroup argument(s): controller ${c} specified multiple times`,
        );
      }
      paths.set(c, path);
    }
  }
  return paths;
}

/** The path normalised; one that climbs above the container's cgroup is refused. */
function checkPath(path: string, arg: string): string {
  const parts: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") {
      if (parts.length === 0) {
        throw new SubCgroupError(`invalid --cgroup argument: ${arg} (bad sub cgroup path)`);
      }
      parts.pop();
    } else parts.push(p);
  }
  return parts.join("/");
}

/** The sub-path for a hierarchy with these controllers, or "" (the cgroup itself). */
export function subPathFor(sub: SubCgroups | undefined, controllers: readonly string[]): string {
  if (!sub) return "";
  if (sub.has("")) return sub.get("")!;
  for (const c of controllers) if (sub.has(c)) return sub.get(c)!;
  return "";
}
