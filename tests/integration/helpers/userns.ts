// Test helper for user namespace tests: config edits that give a container
// a user namespace mapped to host ids from `base` on, and a runner that
// lets the test prepare the bundle (dirs in the rootfs, files to bind)
// before `runo run`.
//
// Permissions: read, write, run, env.

import { type Bundle, type Config, createBundle } from "../../fixtures/bundle.ts";
import { exists, host, type RunResult, sandbox, uniqueId } from "../../fixtures/runo.ts";

/** Host id the container's id 0 maps to in these tests. */
export const BASE = 100000;

/**
 * A new user namespace mapping container ids 0–65535 to BASE+: as runc's
 * rootless spec, sysfs and cgroupfs cannot be mounted from a user
 * namespace that does not own the network namespace, so the host's /sys
 * is bound instead and /sys/fs/cgroup left out.
 */
export function withUserns(c: Config, base = BASE): void {
  c.linux!.namespaces!.push({ type: "user" });
  c.linux!.uidMappings = [{ containerID: 0, hostID: base, size: 65536 }];
  c.linux!.gidMappings = [{ containerID: 0, hostID: base, size: 65536 }];
  bindHostSys(c);
}

/** Replaces the sysfs mount with a read-only rbind of the host's /sys. */
export function bindHostSys(c: Config): void {
  c.mounts = c.mounts!.filter((m) => m.destination !== "/sys/fs/cgroup");
  const sys = c.mounts.find((m) => m.destination === "/sys")!;
  Object.assign(sys, {
    type: "none",
    source: "/sys",
    options: ["rbind", "nosuid", "noexec", "nodev", "ro"],
  });
}

export interface Run extends RunResult {
  /** True when the container's state directory was gone after `run`. */
  readonly stateRemoved: boolean;
}

/**
 * `runo run` of `sh -c script` after `prepare(bundle)`; the bundle and the
 * state root are removed afterwards.
 */
export async function runSh(
  script: string,
  config: (c: Config) => void,
  prepare: (b: Bundle) => Promise<void> = async () => {},
): Promise<Run> {
  await using sb = await sandbox();
  await using b = await createBundle({ args: ["sh", "-c", script], config });
  await prepare(b);
  const id = sb.track(uniqueId());
  const r = await sb.runo(["run", "-b", b.dir, id]);
  return { ...r, stateRemoved: !(await exists(`${sb.root}/${id}`)) };
}

/** A fresh host directory (0755) holding files owned by the given uid:gid. */
export async function ownedFiles(files: Record<string, [number, number]>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "runo-idmap-" });
  await Deno.chmod(dir, 0o755);
  for (const [name, [uid, gid]] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, name);
    await Deno.chown(`${dir}/${name}`, uid, gid);
  }
  return dir;
}

/** "name uid gid" of each entry of `ls -ln` output, sorted by name. */
export function owners(lsOutput: string): string[] {
  return lsOutput.trim().split("\n")
    .filter((l) => /^[-dl][rwx-]{9}/.test(l))
    .map((l) => l.trim().split(/\s+/))
    .map((w) => `${w[8]} ${w[2]} ${w[3]}`)
    .sort();
}

// Deno wants --allow-all for /proc and /sys, which tests/run.sh does not
// grant: those are read and changed by host programs instead.

/** `sh -c script` on the host; its stdout, or throws with its stderr. */
export async function hostSh(script: string): Promise<string> {
  const r = await host("/bin/sh", ["-c", script]);
  if (r.code !== 0) throw new Error(`host sh: ${script}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** True when `path` (under /proc or /sys) exists. */
export async function hostExists(path: string): Promise<boolean> {
  return (await host("test", ["-e", path])).code === 0;
}
