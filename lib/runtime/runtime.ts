// The Runtime class of the library API (mod.ts): the CLI's lifecycle
// operations as methods over one state root. The container modules are
// imported on first use, so constructing a Runtime needs no permission.
//
// Permissions: none to construct; each method names what it needs and
// checks it first (requirePermissions over runNeeds).

import { load } from "../lazy.ts";
import type {
  ContainerEvent,
  ContainerInfo,
  ContainerList,
  ContainerOutput,
  ContainerStats,
  CreatedContainer,
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
import { type CallScope, CREATE_ENV, requirePermissions, runNeeds } from "./permissions.ts";
import { parseSignal } from "../process/signals.ts";

/**
 * An OCI runtime over one state root: create, start, run, kill, delete,
 * state and list containers as `runo` (or `runc`) does with `--root`.
 * `await using` it deletes (force) every container it created that is
 * still there.
 *
 * ```ts ignore
 * import { Runtime } from "./mod.ts";
 * await using runtime = new Runtime({ root: "/run/runo" });
 * const { code, stdout } = await runtime.output("hello", "/srv/bundles/busybox");
 * ```
 */
export class Runtime implements AsyncDisposable {
  /** The directory of container state. */
  readonly root: string;
  readonly #options: RuntimeOptions;
  /** Containers created here that may still exist (for asyncDispose). */
  readonly #made = new Set<string>();

  /** A runtime over `options.root` (default `/run/runo`). Needs no permission. */
  constructor(options: RuntimeOptions = {}) {
    this.root = options.root ?? "/run/runo";
    this.#options = options;
  }

  /**
   * Creates container `id` from the bundle directory and leaves its init
   * waiting for {@linkcode Runtime.start}; `await using` the result deletes
   * it (force). Needs --allow-ffi, --allow-read, --allow-write and
   * --allow-env (NOTIFY_SOCKET, LISTEN_FDS, LISTEN_PID); must run as root.
   */
  async create(id: string, bundle: string, options: CreateOptions = {}): Promise<CreatedContainer> {
    this.#require("create", { bundle, env: CREATE_ENV, writes: [options.pidFile] });
    await this.#useLibDir();
    const { createContainer } = await load<typeof import("../container/create.ts")>(
      "lib/container/create.ts",
    );
    await createContainer({ ...options, ...this.#shared(), id, bundle });
    this.#made.add(id);
    return this.#disposable(await this.state(id));
  }

  /** Runs the process of a created container. Needs --allow-ffi, --allow-read, --allow-write. */
  async start(id: string): Promise<void> {
    this.#require("start", { env: ["NOTIFY_SOCKET"] });
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
   * does (SIGWINCH only resizes a terminal it proxies); aborting `signal`
   * kills it.
   */
  async run(id: string, bundle: string, options: RunOptions = {}): Promise<number> {
    options.signal?.throwIfAborted();
    this.#require("run", { bundle, env: CREATE_ENV, writes: [options.pidFile] });
    await this.#useLibDir();
    const { runContainer } = await load<typeof import("../container/run.ts")>(
      "lib/container/run.ts",
    );
    const kept = options.detach || options.keep;
    if (kept) this.#made.add(id);
    try {
      return await runContainer({ ...options, ...this.#shared(), id, bundle });
    } catch (err) {
      // Another's container of that id is not ours to delete later.
      const taken = (err as { code?: string })?.code === "ALREADY_EXISTS";
      if (kept && (taken || !(await this.#exists(id)))) this.#made.delete(id);
      throw err;
    }
  }

  /**
   * Runs container `id` in the foreground with its stdout and stderr
   * collected (in memory files, so no output size can block it and no
   * temporary file needs a permission) and resolves to them with the exit
   * code.
   */
  async output(id: string, bundle: string, options: OutputOptions = {}): Promise<ContainerOutput> {
    options.signal?.throwIfAborted();
    this.#require("output", { bundle, env: CREATE_ENV });
    await this.#useLibDir();
    const { runCollecting } = await load<typeof import("./output.ts")>("lib/runtime/output.ts");
    const { stdin, ...run } = options;
    return await runCollecting(stdin, (stdio) => this.run(id, bundle, { ...run, stdio }));
  }

  /**
   * Runs `args` (or `options.process`) as a new process in running
   * container `id` (runc exec): it joins the container's namespaces and
   * cgroups, with the container's process config as the default. Resolves
   * to its exit code (0 at once with `detach`); aborting `signal` kills it.
   */
  async exec(id: string, args: readonly string[], options: ExecOptions = {}): Promise<number> {
    options.signal?.throwIfAborted();
    this.#require("exec", { writes: [options.pidFile] });
    await this.#useLibDir();
    const { execInContainer } = await load<typeof import("../container/exec.ts")>(
      "lib/container/exec.ts",
    );
    const { detach, ignorePaused, stdio, signal, onStarted, pidFile, consoleSocket, ...rest } =
      options;
    const { preserveFds, ...request } = rest;
    let pid = 0;
    const killOnAbort = () => pid > 0 && kill(pid);
    signal?.addEventListener("abort", killOnAbort);
    try {
      const code = await execInContainer({
        root: this.root,
        id,
        request: { ...request, args: args.length ? args : request.process?.args ?? [] },
        detach,
        ignorePaused,
        stdio,
        pidFile,
        consoleSocket,
        preserveFds,
        onLog: this.#options.log,
        onStarted: (p) => {
          pid = p;
          if (signal?.aborted) killOnAbort();
          onStarted?.(p);
        },
      });
      if (!detach) signal?.throwIfAborted();
      return code;
    } finally {
      signal?.removeEventListener("abort", killOnAbort);
    }
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
    options.signal?.throwIfAborted();
    this.#require("execOutput", { writes: [options.pidFile] });
    await this.#useLibDir();
    const { runCollecting } = await load<typeof import("./output.ts")>("lib/runtime/output.ts");
    const { stdin, ...exec } = options;
    return await runCollecting(stdin, (stdio) => this.exec(id, args, { ...exec, stdio }));
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
    this.#made.delete(id);
  }

  /** The OCI state of container `id`. Needs --allow-ffi and --allow-read. */
  async state(id: string): Promise<ContainerInfo> {
    this.#require("state", { readOnly: true });
    await this.#useLibDir();
    return (await load<typeof import("../container/query.ts")>("lib/container/query.ts"))
      .containerState(this.root, id);
  }

  /** Every container under the root. Needs --allow-ffi and --allow-read. */
  async list(): Promise<ContainerList> {
    this.#require("list", { readOnly: true });
    await this.#useLibDir();
    return (await load<typeof import("../container/query.ts")>("lib/container/query.ts"))
      .listContainers(this.root);
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
    await (await load<typeof import("../container/pause.ts")>("lib/container/pause.ts"))
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
    this.#require("pids", { readOnly: true });
    await this.#useLibDir();
    return await (await load<typeof import("../container/ps.ts")>("lib/container/ps.ts"))
      .containerPids(this.root, id);
  }

  /** The container's cgroup statistics now (the data of `runo events --stats`). */
  async stats(id: string): Promise<ContainerStats> {
    this.#require("stats", { readOnly: true });
    await this.#useLibDir();
    const { statsEvent } = await load<typeof import("../container/events.ts")>(
      "lib/container/events.ts",
    );
    const stats: ContainerStats = (await statsEvent(this.root, id)).data!;
    return stats;
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
    this.#require("events", { readOnly: true });
    await this.#useLibDir();
    const { eventStream } = await load<typeof import("./events.ts")>("lib/runtime/events.ts");
    yield* eventStream(this.root, id, options.intervalMs ?? 5000, options.signal);
  }

  /** Deletes (force) every container this runtime created that is still there. */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const id of [...this.#made]) await this.#deleteIfThere(id);
  }

  #require(method: string, scope: Omit<CallScope, "root"> = {}): void {
    requirePermissions(`Runtime.${method}`, runNeeds({ ...scope, root: this.root }));
  }

  #shared() {
    return {
      root: this.root,
      onLog: this.#options.log,
      systemdCgroup: this.#options.systemdCgroup,
    };
  }

  #disposable(info: ContainerInfo): CreatedContainer {
    return { ...info, [Symbol.asyncDispose]: () => this.#deleteIfThere(info.id) };
  }

  async #deleteIfThere(id: string): Promise<void> {
    try {
      await this.delete(id, { force: true });
    } catch (err) {
      if (!(await this.#exists(id)) || isNotFound(err)) this.#made.delete(id);
      else throw err;
    }
  }

  async #exists(id: string): Promise<boolean> {
    try {
      await this.state(id);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async #useLibDir(): Promise<void> {
    if (this.#options.libDir === undefined) return;
    (await load<typeof import("../../ffi/libnsexec.ts")>("ffi/libnsexec.ts"))
      .setLibDir(this.#options.libDir);
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: string })?.code === "NOT_FOUND";
}

/** SIGKILL through the FFI (Deno.kill would need --allow-run). */
function kill(pid: number): void {
  load<typeof import("../../ffi/syscalls.ts")>("ffi/syscalls.ts").then((m) => m.kill(pid, 9));
}
