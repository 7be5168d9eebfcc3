// Where a container's cgroup goes: runc's cgroupsPath rules.
//  - absolute ("/a/b"): that path from each hierarchy's root;
//  - relative ("a/b"): under the runtime's own cgroup in each hierarchy;
//  - empty: as runc, the container id, relative (under the runtime's own).
// "slice:prefix:name" paths belong to the systemd driver (lib/cgroups/systemd/unit.ts).
//
// Permissions: none.

import { ConfigError } from "../spec/config_error.ts";

/** A cleaned cgroupsPath; `own` is the runtime's cgroup in the hierarchy. */
export function resolveCgroupPath(
  cgroupsPath: string | undefined,
  id: string,
  own: string,
): string {
  const inner = cgroupsPath === undefined || cgroupsPath === "" ? id : cgroupsPath;
  const parts = inner.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) {
    throw new ConfigError("/linux/cgroupsPath", `cgroupsPath "${inner}" must not contain ".."`);
  }
  const base = inner.startsWith("/") ? [] : own.split("/").filter((p) => p !== "");
  return "/" + [...base, ...parts].join("/");
}

/** The absolute directory of `path` in a hierarchy mounted at `mountpoint`. */
export function cgroupDir(mountpoint: string, path: string): string {
  return path === "/" ? mountpoint : `${mountpoint}${path}`;
}
