// The Runtime class of the library API (mod.ts): the CLI's lifecycle
// operations as methods over one state root. The container modules are
// imported on first use, so constructing a Runtime needs no permission.
//
// Permissions: none to construct; each method names what it needs and
// checks it first (requirePermissions).

import { load } from "../lazy.ts";
import type {
  ContainerEvent,
  ContainerInfo,
  ContainerList,
  ContainerOutput,
  CreateOptions,
  DeleteOptions,
  EventsOptions,
  ExecOptions,
  KillOptions,
  OutputOptions,
  RunOptions,
  RuntimeOptions,
} from "./types.ts";
import type { Resources } from "../spec/types.ts";
import { type Needed, requirePermissions } from "./permissions.ts";
import { parseSignal } from "../process/signals.ts";

/**
 * An OCI runtime over one state root: create, start, run, kill, delete,
 * state and list containers as `runo` (or `runc`) does with `--root`.
 *
 * ```ts ignore
 * import { Runtime } from "./mod.ts";
 * const runtime = new Runtime({ root: "/run/runo" });
 * const { code, stdout } = await runtime.output("hello", "/srv/bundles/busybox");
 * ```
 */
export class Runtime {
  /** The directory of container state. */
  readonly root: string;
  readonly #options: RuntimeOptions;

  /** A runtime over `options.root` (default `/run/runo`). Needs no permission. */
  constructor(options: RuntimeOptions = {}) {
    this.root = options.root ?? "/run/runo";
    this.#options = options;
  }

  /**
   * Creates container `id` from the bundle directory and leaves its init
   * waiting for {@linkcode Runtime.start}. Needs --allow-ffi, --allow-read,
   * --allow-write, --allow-env; must run as root.
   */
  async create(id: string, bundle: string, options: CreateOptions = {}): Promise<ContainerInfo> {
    this.#require("create", bundle);
    await this.#useLibDir();
    const { createContainer } = await load<typeof import("../container/create.ts")>(
      "lib/container/create.ts",
    );
    await createContainer({ ...options, root: this.root, id, bundle, onLog: this.#options.log });
    return await this.state(id);
  }

  /** Runs the process of a created container. Needs --allow-ffi, --allow-read, --allow-write. */
  async start(id: string): Promise<void> {
    this.#require("start");
    await this.#useLibDir();
    await (await load<typeof import("../container/start.ts")>("lib/container/start.ts"))
      .startContainer(this.root, id);
  }

  /**
   * create + start. In the foreground (the default) it waits, deletes the
   * container unless `keep`, and resolves to the exit code (128+n when
   * signal n killed it); with `detach` it resolves to 0 once started.
   * The container's stdio is this process's unless `stdio` says otherwise.
   * While it waits, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1/2 and SIGCONT
   * sent to this process are forwarded to the container, as `runc run`
   * does (SIGWINCH only resizes a terminal it proxies).
   */
  async run(id: string, bundle: string, options: RunOptions = {}): Promise<number> {
    this.#require("run", bundle);
    await this.#useLibDir();
    const { runContainer } = await load<typeof import("../container/run.ts")>(
      "lib/container/run.ts",
    );
    return await runContainer({
      ...options,
      root: this.root,
      id,
      bundle,
      onLog: this.#options.log,
    });
  }

  /**
   * Runs container `id` in the foreground with its stdout and stderr
   * collected (through temporary files, so no output size can block it)
   * and resolves to them with the exit code.
   */
  async output(id: string, bundle: string, options: OutputOptions = {}): Promise<ContainerOutput> {
    this.#require("output", bundle);
    await this.#useLibDir();
    const { runCollecting } = await load<typeof import("./output.ts")>("lib/runtime/output.ts");
    return await runCollecting(options, (stdio) => this.run(id, bundle, { ...options, stdio }));
  }

  /**
   * Runs `args` as a new process in running container `id` (runc exec):
   * it joins the container's namespaces and cgroups, with the container's
   * process config as the default. Resolves to its exit code (0 at once
   * with `detach`).
   */
  async exec(id: string, args: readonly string[], options: ExecOptions = {}): Promise<number> {
    this.#require("exec");
    await this.#useLibDir();
    const { execInContainer } = await load<typeof import("../container/exec.ts")>(
      "lib/container/exec.ts",
    );
    const { detach, ignorePaused, stdio, ...request } = options;
    return await execInContainer({
      root: this.root,
      id,
      request: { ...request, args },
      detach,
      ignorePaused,
      stdio,
      onLog: this.#options.log,
    });
  }

  /**
   * {@linkcode Runtime.exec} in the foreground with stdout and stderr
   * collected; `stdin` gives its input (default none).
   */
  async execOutput(
    id: string,
    args: readonly string[],
    options: Omit<ExecOptions, "stdio" | "detach"> & { readonly stdin?: Uint8Array | string } = {},
  ): Promise<ContainerOutput> {
    this.#require("execOutput");
    await this.#useLibDir();
    const { runCollecting } = await load<typeof import("./output.ts")>("lib/runtime/output.ts");
    const { stdin, ...exec } = options;
    return await runCollecting({ stdin }, (stdio) => this.exec(id, args, { ...exec, stdio }));
  }

  /** Sends a signal (name or number; default SIGTERM) to the container's init. */
  async kill(
    id: string,
    signal: string | number = "SIGTERM",
    options: KillOptions = {},
  ): Promise<void> {
    this.#require("kill");
    await this.#useLibDir();
    const signo = typeof signal === "number" ? signal : parseSignal(signal);
    const { killContainer } = await load<typeof import("../container/kill.ts")>(
      "lib/container/kill.ts",
    );
    await killContainer({ root: this.root, id, signal: signo, all: options.all });
  }

  /** Removes a stopped container, or with `force` any container after killing it. */
  async delete(id: string, options: DeleteOptions = {}): Promise<void> {
    this.#require("delete");
    await this.#useLibDir();
    const { deleteContainer } = await load<typeof import("../container/delete.ts")>(
      "lib/container/delete.ts",
    );
    await deleteContainer(this.root, id, options.force === true);
  }

  /** The OCI state of container `id`. Needs --allow-ffi and --allow-read. */
  async state(id: string): Promise<ContainerInfo> {
    requirePermissions("Runtime.state", [{ name: "ffi" }, { name: "read", path: this.root }]);
    await this.#useLibDir();
    const query = await load<typeof import("../container/query.ts")>("lib/container/query.ts");
    return query.containerState(this.root, id);
  }

  /** Every container under the root. Needs --allow-ffi and --allow-read. */
  async list(): Promise<ContainerList> {
    requirePermissions("Runtime.list", [{ name: "ffi" }, { name: "read", path: this.root }]);
    await this.#useLibDir();
    const query = await load<typeof import("../container/query.ts")>("lib/container/query.ts");
    return query.listContainers(this.root);
  }

  /** Freezes every process of a running container (cgroup freezer). */
  async pause(id: string): Promise<void> {
    this.#require("pause");
    await this.#useLibDir();
    await (await load<typeof import("../container/pause.ts")>("lib/container/pause.ts"))
      .pauseContainer(this.root, id);
  }

  /** Thaws a paused container. */
  async resume(id: string): Promise<void> {
    this.#require("resume");
    await this.#useLibDir();
    (await load<typeof import("../container/pause.ts")>("lib/container/pause.ts"))
      .resumeContainer(this.root, id);
  }

  /**
   * Changes a running container's cgroup limits, as `runo update -r`:
   * the given resources are merged into the recorded ones. Resolves to
   * the warnings of limits the host could not apply.
   */
  async update(id: string, resources: Resources): Promise<string[]> {
    this.#require("update");
    await this.#useLibDir();
    return await (await load<typeof import("../container/update.ts")>("lib/container/update.ts"))
      .updateContainer(this.root, id, resources);
  }

  /** The host pids of every process in the container's cgroup (as `runo ps`). */
  async pids(id: string): Promise<number[]> {
    requirePermissions("Runtime.pids", [{ name: "ffi" }, { name: "read", path: this.root }]);
    await this.#useLibDir();
    return (await load<typeof import("../container/ps.ts")>("lib/container/ps.ts"))
      .containerPids(this.root, id);
  }

  /** The container's cgroup statistics now (as `runo events --stats`). */
  async stats(id: string): Promise<ContainerEvent> {
    requirePermissions("Runtime.stats", [{ name: "ffi" }, { name: "read", path: this.root }]);
    await this.#useLibDir();
    const { statsEvent } = await load<typeof import("../container/events.ts")>(
      "lib/container/events.ts",
    );
    const event: ContainerEvent = await statsEvent(this.root, id);
    return event;
  }

  /**
   * Statistics every `intervalMs` and an "oom" event per OOM kill, until
   * the container stops, `signal` aborts, or the loop is left.
   *
   * ```ts ignore
   * for await (const e of runtime.events("web", { intervalMs: 1000 })) console.log(e.type);
   * ```
   */
  async *events(id: string, options: EventsOptions = {}): AsyncGenerator<ContainerEvent> {
    requirePermissions("Runtime.events", [{ name: "ffi" }, { name: "read", path: this.root }]);
    await this.#useLibDir();
    const { eventStream } = await load<typeof import("./events.ts")>("lib/runtime/events.ts");
    yield* eventStream(this.root, id, options.intervalMs ?? 5000, options.signal);
  }

  #require(method: string, bundle?: string): void {
    const needed: Needed[] = [
      { name: "ffi" },
      { name: "read", path: this.root },
      { name: "write", path: this.root },
    ];
    if (bundle !== undefined) needed.push({ name: "read", path: bundle });
    requirePermissions(`Runtime.${method}`, needed);
  }

  async #useLibDir(): Promise<void> {
    if (this.#options.libDir === undefined) return;
    (await load<typeof import("../../ffi/libnsexec.ts")>("ffi/libnsexec.ts"))
      .setLibDir(this.#options.libDir);
  }
}
