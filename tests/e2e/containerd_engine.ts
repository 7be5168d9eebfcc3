// E2E fixture: a private containerd driving runo, through runc's shim
// (--runc-binary) or runo's own: started with its own config (root, state,
// sockets, native snapshotter) under one temp dir, and stopped again,
// shims included; cleanup unmounts whatever is left under the dir.
// podman's fixture and the shared leak checks are in engines.ts.
//
// Permissions: read, write, run, env.

import { host, type RunResult } from "../fixtures/runo.ts";
import { makeImageFiles } from "./image.ts";
import { reapSync, runtimeBin } from "./engines.ts";

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
