// E2E fixture: a private podman driving runo (build/runo, or $RUNO_BIN;
// `RUNO_BIN=/usr/sbin/runc` checks the scenarios' expectations against
// runc), and the leak checks the engine tests share. The private
// containerd is in containerd_engine.ts.
//
// Everything lives under one temp dir per engine, so a run starts fresh
// and leaves nothing: podman gets its own containers.conf/storage.conf
// (vfs storage, cgroupfs, file events, no network by default, ulimits that
// fit this sandbox's hard limits: no CAP_SYS_RESOURCE, nofile ≤ 20000),
// root, runroot and tmpdir. Cleanup unmounts whatever is still mounted
// under the dir.
//
// Permissions: read, write, run, env.

import { host, REPO_ROOT, type RunResult } from "../fixtures/runo.ts";
import { makeImageFiles } from "./image.ts";

/** The runtime the engines are pointed at (absolute path). */
export function runtimeBin(): string {
  return Deno.env.get("RUNO_BIN") || `${REPO_ROOT}/build/runo`;
}

export const IMAGE = "localhost/runo-busybox:e2e";

// Kills what still mentions DIR (conmon, shims, a daemon), and what is left
// in the cgroups CG (relative, all v1 hierarchies), removes those cgroups,
// unmounts everything under DIR deepest first, removes DIR. Synchronous, so
// it can also run from an unload handler when a scenario failed or a
// filter skipped the cleanup scenario.
const REAP = `
d=$1; cg=$2
for p in $(pgrep -f -- "$d"); do [ "$p" = $$ ] || kill -KILL "$p" 2>/dev/null; done
if [ -n "$cg" ]; then
  for dir in $(find /sys/fs/cgroup/*/"$cg" -depth -type d 2>/dev/null); do
    for p in $(cat "$dir/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  done
  sleep 0.1
  find /sys/fs/cgroup/*/"$cg" -depth -type d -exec rmdir {} + 2>/dev/null
fi
awk '{print $5}' /proc/self/mountinfo | grep -F -e "$d/" | sort -r |
  while read -r m; do umount -l "$m"; done
rm -rf "$d"
`;

export function reapSync(dir: string, cgroup = ""): void {
  try {
    Deno.statSync(dir);
  } catch {
    return; // cleaned up already
  }
  new Deno.Command("sh", {
    args: ["-c", REAP, "reap", dir, cgroup],
    stdout: "null",
    stderr: "null",
  })
    .outputSync();
}

/** Mount points under `dir` (for leak checks). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const out = await host("sh", ["-c", `awk '{print $5}' /proc/self/mountinfo`]);
  return out.stdout.split("\n").filter((p) => p.startsWith(`${dir}/`));
}

/** Pids of processes whose command line mentions `needle` (a unique path). */
export async function pidsMentioning(needle: string): Promise<number[]> {
  const out = await host("pgrep", ["-f", "--", needle]);
  return out.stdout.split("\n").filter((l) => l !== "").map(Number)
    .filter((p) => p !== Deno.pid);
}

/** Entry names in `dir` ([] when it does not exist). */
export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

/** Names of the cgroups directly under `rel`, over all v1 hierarchies. */
export async function childCgroups(rel: string): Promise<string[]> {
  const out = await host("sh", [
    "-c",
    'find /sys/fs/cgroup/*/"$0" -mindepth 1 -maxdepth 1 -type d 2>/dev/null',
    rel,
  ]);
  const names = out.stdout.split("\n").filter((l) => l !== "").map((l) => l.replace(/.*\//, ""));
  return [...new Set(names)].sort();
}

/** Whether a cgroup `rel` exists in any v1 hierarchy. */
export async function cgroupExists(rel: string): Promise<boolean> {
  const out = await host("sh", ["-c", 'ls -d /sys/fs/cgroup/*/"$0" 2>/dev/null', rel]);
  return out.stdout.trim() !== "";
}

export class Podman {
  private constructor(readonly dir: string) {}

  /**
   * Every `podman run` of this instance gets this cgroup parent, so the
   * cgroups runo made are findable (and leaks provable) without touching
   * anyone else's libpod_parent.
   */
  readonly cgroupParent = `runo-e2e-${Deno.pid}`;

  /** A fresh podman state with the test image imported. */
  static async create(): Promise<Podman> {
    const dir = await Deno.makeTempDir({ prefix: "runo-e2e-podman-" });
    const p = new Podman(dir);
    globalThis.addEventListener("unload", () => p.cleanupSync());
    await Deno.writeTextFile(
      `${dir}/containers.conf`,
      [
        "[containers]",
        // podman's rootful defaults (nofile 1048576, nproc 4194304) exceed
        // this sandbox's hard limits: every runtime fails setrlimit on them.
        'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
        // No CNI/netavark here; scenarios that want a network say so.
        'netns = "none"',
        'log_driver = "k8s-file"',
        "[engine]",
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        `tmp_dir = "${dir}/tmp"`,
        `volume_path = "${dir}/volumes"`,
        `static_dir = "${dir}/root/libpod"`,
        "",
      ].join("\n"),
    );
    await Deno.writeTextFile(
      `${dir}/storage.conf`,
      [
        "[storage]",
        'driver = "vfs"',
        `graphroot = "${dir}/root"`,
        `runroot = "${dir}/runroot"`,
        "",
      ].join("\n"),
    );
    const files = await makeImageFiles(`${dir}/image`, IMAGE);
    const imported = await p.run(["import", files.rootfsTar, IMAGE]);
    if (imported.code !== 0) throw new Error(`podman import failed: ${imported.stderr}`);
    return p;
  }

  /** podman's global flags for this state. */
  private globals(): string[] {
    const d = this.dir;
    return [
      "--root",
      `${d}/root`,
      "--runroot",
      `${d}/runroot`,
      "--tmpdir",
      `${d}/tmp`,
      "--cgroup-manager",
      "cgroupfs",
      "--events-backend",
      "file",
      "--runtime",
      runtimeBin(),
      // No --runtime-flag root=…: podman 4.3 passes runtime flags to
      // create/start/kill but not to `delete --force`, so states would
      // leak there. runo's default root it is; leftStates() finds ours.
    ];
  }

  /** runo state dirs (in `root`) of containers whose bundle is in this podman's storage. */
  async leftStates(root = "/run/runo"): Promise<string[]> {
    const left: string[] = [];
    for (const id of await listDir(root)) {
      const state = await Deno.readTextFile(`${root}/${id}/state.json`).catch(() => "");
      if (state.includes(`"bundle":"${this.dir}/`)) left.push(id);
    }
    return left;
  }

  private env(): Record<string, string> {
    return {
      CONTAINERS_CONF: `${this.dir}/containers.conf`,
      CONTAINERS_STORAGE_CONF: `${this.dir}/storage.conf`,
    };
  }

  /** `env … podman <global flags>` as one shell word list (for script -c). */
  command(): string {
    const env = Object.entries(this.env()).map(([k, v]) => `${k}=${v}`);
    return ["env", ...env, "podman", ...this.globals()].join(" ");
  }

  /** `podman <global flags> ARGS...`, output through files. */
  run(args: string[], opts: { timeoutMs?: number; stdin?: string } = {}): Promise<RunResult> {
    const withParent = args[0] === "run"
      ? ["run", "--cgroup-parent", `/${this.cgroupParent}`, ...args.slice(1)]
      : args;
    return host("podman", [...this.globals(), ...withParent], {
      timeoutMs: opts.timeoutMs ?? 60_000,
      stdin: opts.stdin,
      env: this.env(),
    });
  }

  /** Removes every container (through runo), then reaps what is left. */
  async cleanup(): Promise<void> {
    await this.run(["rm", "--all", "--force", "--time", "0"]).catch(() => {});
    reapSync(this.dir, this.cgroupParent);
  }

  /** As cleanup(), synchronously (for the unload handler). */
  cleanupSync(): void {
    try {
      Deno.statSync(this.dir);
    } catch {
      return;
    }
    new Deno.Command("podman", {
      args: [...this.globals(), "rm", "--all", "--force", "--time", "0"],
      env: this.env(),
      stdout: "null",
      stderr: "null",
    }).outputSync();
    reapSync(this.dir, this.cgroupParent);
  }
}
