// E2E fixture: a private podman and a private containerd, each driving
// runo (build/runo, or $RUNO_BIN; `RUNO_BIN=/usr/sbin/runc` checks the
// scenarios' expectations against runc).
//
// Everything lives under one temp dir per engine, so a run starts fresh
// and leaves nothing: podman gets its own containers.conf/storage.conf
// (vfs storage, cgroupfs, file events, no network by default, ulimits that
// fit this sandbox's hard limits: no CAP_SYS_RESOURCE, nofile ≤ 20000),
// root, runroot and tmpdir; containerd is started by the fixture with its
// own config (root, state, sockets, native snapshotter) and stopped again,
// shims included. Cleanup unmounts whatever is still mounted under the dir.
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

function reapSync(dir: string, cgroup = ""): void {
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

/** Options of Containerd.start. */
export interface ContainerdOptions {
  /** Directories put first on containerd's PATH (where it finds shim binaries). */
  readonly path?: readonly string[];
  /**
   * Enables the CRI plugin with this TOML of its own (`dir` is the
   * containerd's directory), instead of disabling it.
   */
  readonly cri?: (dir: string) => string;
}

export class Containerd {
  private constructor(
    readonly dir: string,
    private daemon: Deno.ChildProcess,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * The containerd namespace of this run. ctr puts a container in the
   * cgroup /<namespace>/<id>, so a namespace of our own makes leftovers
   * findable (and removable) without touching anyone else's.
   */
  readonly namespace = `e2e-${Deno.pid}`;
  private down = false;

  get socket(): string {
    return `${this.dir}/c.sock`;
  }

  /** Starts a private containerd and imports the test image into it. */
  static async start(opts: ContainerdOptions = {}): Promise<Containerd> {
    const dir = await Deno.makeTempDir({ prefix: "runo-e2e-ctrd-" });
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      [
        "version = 2",
        `root = "${dir}/root"`,
        `state = "${dir}/state"`,
        `disabled_plugins = [${opts.cri ? "" : '"io.containerd.grpc.v1.cri", '}` +
        '"io.containerd.snapshotter.v1.btrfs",',
        '  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",',
        '  "io.containerd.snapshotter.v1.aufs"]',
        "[grpc]",
        `  address = "${dir}/c.sock"`,
        "[ttrpc]",
        `  address = "${dir}/c.sock.ttrpc"`,
        "[debug]",
        `  address = "${dir}/debug.sock"`,
        '  level = "info"',
        '[plugins."io.containerd.internal.v1.opt"]',
        `  path = "${dir}/opt"`,
        opts.cri?.(dir) ?? "",
        "",
      ].join("\n"),
    );
    const env: Record<string, string> = opts.path
      ? { PATH: [...opts.path, Deno.env.get("PATH") ?? "/usr/bin:/bin"].join(":") }
      : {};
    const c = new Containerd(dir, await Containerd.spawnDaemon(dir, env), env);
    globalThis.addEventListener("unload", () => {
      try {
        c.daemon.kill("SIGKILL");
      } catch { /* gone */ }
      reapSync(dir, c.namespace);
    });
    try {
      await c.waitReady();
      const files = await makeImageFiles(`${dir}/image`, `docker.io/library/runo-busybox:e2e`);
      const imp = await c.ctr(["images", "import", "--snapshotter", "native", files.ociTar]);
      if (imp.code !== 0) throw new Error(`ctr images import failed: ${imp.stderr}`);
    } catch (e) {
      await c.stop();
      throw e;
    }
    return c;
  }

  private static async spawnDaemon(
    dir: string,
    env: Record<string, string>,
  ): Promise<Deno.ChildProcess> {
    const logFile = await Deno.open(`${dir}/containerd.log`, {
      write: true,
      create: true,
      append: true,
    });
    const daemon = new Deno.Command("containerd", {
      args: ["--config", `${dir}/config.toml`],
      env,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    daemon.stderr.pipeTo(logFile.writable).catch(() => {});
    return daemon;
  }

  /** The daemon's pid. */
  get pid(): number {
    return this.daemon.pid;
  }

  /**
   * Stops containerd (SIGTERM) and starts it again on the same state; its
   * shims and their tasks run on meanwhile, as over a containerd upgrade.
   */
  async restart(): Promise<void> {
    this.daemon.kill("SIGTERM");
    await this.daemon.status;
    this.daemon = await Containerd.spawnDaemon(this.dir, this.env);
    await this.waitReady();
  }

  private async waitReady(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const v = await this.ctr(["version"]);
      if (v.code === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    const log = await Deno.readTextFile(`${this.dir}/containerd.log`).catch(() => "");
    throw new Error(`containerd did not come up in 10 s:\n${log.slice(-2000)}`);
  }

  /** `ctr --address <sock> --namespace NS ARGS...` (k8s.io for the CRI's images). */
  ctrIn(namespace: string, args: string[]): Promise<RunResult> {
    return host("ctr", ["--address", this.socket, "--namespace", namespace, ...args], {
      timeoutMs: 60_000,
    });
  }

  /** `ctr --address <sock> --namespace <ours> ARGS...` */
  ctr(args: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
    return host("ctr", ["--address", this.socket, "--namespace", this.namespace, ...args], {
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
  }

  /** The runtime flags for `ctr run`: runo as the shim's runc, its own root. */
  runtimeFlags(): string[] {
    return [
      "--snapshotter",
      "native",
      "--runc-binary",
      runtimeBin(),
      "--runc-root",
      `${this.dir}/runc`,
    ];
  }

  /** shutdown(), then kills and removes whatever is left. */
  async stop(): Promise<void> {
    await this.shutdown();
    reapSync(this.dir, this.namespace);
  }

  /** Kills tasks, deletes containers (through runo), stops containerd. */
  async shutdown(): Promise<void> {
    // Once only: ctr would wait 10 s for a daemon that is gone.
    if (this.down) return;
    this.down = true;
    const list = await this.ctr(["containers", "list", "--quiet"]).catch(() => undefined);
    for (const id of list?.stdout.split("\n").filter((l) => l !== "") ?? []) {
      await this.ctr(["tasks", "kill", "--signal", "SIGKILL", id]);
      await this.ctr(["tasks", "delete", "--force", id]);
      await this.ctr(["containers", "delete", id]);
    }
    try {
      this.daemon.kill("SIGTERM");
    } catch { /* already gone */ }
    await this.daemon.status;
  }
}
