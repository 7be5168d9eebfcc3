// containerd.task.v2.Task over mod.ts: each request of containerd's shim
// API done with runo's library in this process, as runc's shim does it
// with runc's CLI (containerd runtime/v2/runc/task/service.go): Create
// mounts the rootfs and creates the container with containerd's stdio,
// Start starts it (or an exec'd process), exits come from the reaper,
// and every step publishes containerd's event.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import type { Infer } from "../proto/schema.ts";
import type * as T from "../proto/task.ts";
import { TaskStatus } from "../proto/task.ts";
import * as E from "../proto/events.ts";
import { ProcessDetails } from "../proto/options.ts";
import { Code, notFound, ShimError } from "../errors.ts";
import { consoleSocketPath, ProcessIO } from "../io.ts";
import { mountRootfs, unmountRootfs } from "../mounts.ts";
import { metricsAny } from "../stats.ts";
import type { Publisher } from "../events.ts";
import { parseProcess, Proc, Task } from "./process.ts";
import { ownPidNamespace, watchOom } from "./watch.ts";
import { runtimeFor, taskOptions } from "./options.ts";
import { removeRecord, writeRecord } from "../record.ts";
import type { Reaper } from "../../ffi/reaper.ts";
import { exitCodeOf, kill } from "../../ffi/syscalls.ts";
import type { Resources } from "../../lib/spec/types.ts";

type Req<M> = Infer<M>;

export interface ServiceDeps {
  readonly namespace: string;
  readonly publisher: Publisher;
  readonly reaper: Reaper;
  readonly log: (msg: string) => void;
  /** Called when the last task is gone and containerd asked to shut down. */
  readonly onIdle: (now: boolean) => void;
}

export class TaskService {
  readonly tasks = new Map<string, Task>();
  readonly #byPid = new Map<number, { task: Task; proc: Proc }>();
  /** Ids between Create's start and its end (a second Create is AlreadyExists). */
  readonly #creating = new Set<string>();

  constructor(readonly deps: ServiceDeps) {
    deps.reaper.onExit = (e) => this.#onExit(e.pid, e.status, e.at);
  }

  async create(r: Req<typeof T.CreateTaskRequest>) {
    if (this.tasks.has(r.id) || this.#creating.has(r.id)) {
      throw new ShimError(Code.ALREADY_EXISTS, `task ${r.id}: already exists`);
    }
    this.#creating.add(r.id);
    try {
      return { pid: await this.#create(r) };
    } finally {
      this.#creating.delete(r.id);
    }
  }

  async #create(r: Req<typeof T.CreateTaskRequest>): Promise<number> {
    if (r.checkpoint) {
      throw new ShimError(Code.UNIMPLEMENTED, "restore from a checkpoint is not supported by runo");
    }
    const options = taskOptions(r.options, this.deps.log);
    const runtime = runtimeFor(options, this.deps.namespace, this.deps.log);
    const target = r.rootfs.length ? `${r.bundle}/rootfs` : "";
    if (target) {
      Deno.mkdirSync(target, { recursive: true });
      mountRootfs(r.rootfs, target);
    }
    const stdio = { stdin: r.stdin, stdout: r.stdout, stderr: r.stderr, terminal: r.terminal };
    let io: ProcessIO | undefined;
    try {
      io = ProcessIO.open(stdio, consoleSocketPath());
      const console = r.terminal ? io.acceptConsole(stdio) : undefined;
      this.deps.reaper.kick();
      const info = await runtime.create(r.id, r.bundle, {
        stdio: io.stdio,
        consoleSocket: io.consoleSocket,
        noPivot: options.noPivotRoot,
      });
      await console;
      io.released();
      const proc = new Proc(r.id, stdio, io, undefined);
      proc.pid = info.pid;
      const task = new Task(r.id, r.bundle, runtime, proc, target, ownPidNamespace(r.bundle));
      this.#track(task, proc);
      this.tasks.set(r.id, task);
      writeRecord(r.bundle, {
        root: runtime.root,
        systemdCgroup: options.systemdCgroup,
        pid: info.pid,
        rootfs: target,
      });
      this.deps.publisher.publish("/tasks/create", E.TaskCreate, {
        containerId: r.id,
        bundle: r.bundle,
        rootfs: r.rootfs,
        io: E.TaskIO.create(stdio),
        checkpoint: r.checkpoint,
        pid: info.pid,
      });
      return info.pid;
    } catch (err) {
      io?.close();
      if (target) unmountRootfs(target);
      throw err;
    }
  }

  async start(r: Req<typeof T.StartRequest>) {
    const task = this.#task(r.id);
    const proc = this.#proc(task, r.execId);
    if (proc.status !== "created") {
      throw new ShimError(Code.FAILED_PRECONDITION, `process ${proc.id}: already started`);
    }
    try {
      if (r.execId === "") {
        await task.runtime.start(task.id);
        proc.status = "running";
        this.deps.publisher.publish("/tasks/start", E.TaskStart, {
          containerId: task.id,
          pid: proc.pid,
        });
        watchOom(task, this.deps.publisher, this.deps.log);
      } else {
        await this.#startExec(task, proc);
        this.deps.publisher.publish("/tasks/exec-started", E.TaskExecStarted, {
          containerId: task.id,
          execId: r.execId,
          pid: proc.pid,
        });
      }
    } finally {
      proc.started.resolve();
    }
    return { pid: proc.pid };
  }

  async #startExec(task: Task, proc: Proc): Promise<void> {
    const console = proc.stdio.terminal ? proc.io.acceptConsole(proc.stdio) : undefined;
    this.deps.reaper.kick();
    try {
      await task.runtime.exec(task.id, [], {
        process: proc.process,
        tty: proc.stdio.terminal,
        consoleSocket: proc.io.consoleSocket,
        stdio: proc.io.stdio,
        detach: true,
        onStarted: (pid) => {
          proc.pid = pid;
          proc.status = "running";
          this.#track(task, proc);
        },
      });
      await console;
    } catch (err) {
      proc.io.close();
      throw err;
    } finally {
      proc.io.released();
    }
  }

  exec(r: Req<typeof T.ExecProcessRequest>) {
    const task = this.#task(r.id);
    if (task.execs.has(r.execId) || r.execId === "") {
      throw new ShimError(Code.ALREADY_EXISTS, `exec ${r.execId}: already exists in task ${r.id}`);
    }
    if (task.init.status === "stopped") {
      throw new ShimError(Code.FAILED_PRECONDITION, `task ${r.id}: not running`);
    }
    const process = parseProcess(r.spec);
    const stdio = { stdin: r.stdin, stdout: r.stdout, stderr: r.stderr, terminal: r.terminal };
    const io = ProcessIO.open(stdio, consoleSocketPath());
    task.execs.set(r.execId, new Proc(r.execId, stdio, io, process));
    this.deps.publisher.publish("/tasks/exec-added", E.TaskExecAdded, {
      containerId: r.id,
      execId: r.execId,
    });
    return {};
  }

  async state(r: Req<typeof T.StateRequest>) {
    const task = this.#task(r.id);
    const proc = this.#proc(task, r.execId);
    let status: number = TaskStatus[
      proc.status === "created" ? "CREATED" : proc.status === "running" ? "RUNNING" : "STOPPED"
    ];
    if (r.execId === "" && proc.status === "running") {
      const s = (await task.runtime.state(task.id).catch(() => undefined))?.status;
      if (s === "paused") status = TaskStatus.PAUSED;
    }
    return {
      id: proc.id,
      bundle: task.bundle,
      pid: proc.pid,
      status,
      ...proc.stdio,
      exitStatus: proc.exitStatus,
      exitedAt: proc.exitTime(),
      execId: r.execId,
    };
  }

  async kill(r: Req<typeof T.KillRequest>) {
    const task = this.#task(r.id);
    const proc = this.#proc(task, r.execId);
    if (proc.status === "stopped") throw notFound(`process ${proc.id}: already finished`);
    if (r.execId === "") {
      await task.runtime.kill(task.id, r.signal, { all: r.all });
    } else if (proc.pid > 0) {
      kill(proc.pid, r.signal);
    }
    return {};
  }

  async delete(r: Req<typeof T.DeleteRequest>) {
    const task = this.#task(r.id);
    const proc = this.#proc(task, r.execId);
    if (proc.status === "running") {
      throw new ShimError(
        Code.FAILED_PRECONDITION,
        `process ${proc.id}: cannot delete a running process`,
      );
    }
    if (r.execId !== "") {
      task.execs.delete(r.execId);
      proc.io.close();
      return proc.exitOf();
    }
    if (task.deleting) throw notFound(`task ${r.id}`);
    task.deleting = true;
    if (proc.status === "created") {
      // Never started: the init waits on its fifo. Killed and reaped here,
      // so runo's delete finds it stopped (the reaper owns our children).
      kill(proc.pid, 9);
      await proc.done;
    }
    await task.runtime.delete(task.id, { force: true });
    for (const p of task.processes()) p.io.close();
    if (task.rootfsTarget) unmountRootfs(task.rootfsTarget);
    removeRecord(task.bundle);
    this.tasks.delete(task.id);
    for (const p of task.processes()) this.#byPid.delete(p.pid);
    this.deps.publisher.publish("/tasks/delete", E.TaskDelete, {
      containerId: task.id,
      pid: proc.pid,
      exitStatus: proc.exitStatus,
      exitedAt: proc.exitTime(),
      id: task.id,
    });
    return proc.exitOf();
  }

  async pids(r: Req<typeof T.PidsRequest>) {
    const task = this.#task(r.id);
    const pids = await task.runtime.pids(task.id);
    const execs = new Map([...task.execs.values()].map((p) => [p.pid, p.id]));
    return {
      processes: pids.map((pid) => {
        const execId = execs.get(pid);
        const info = execId === undefined
          ? undefined
          : { typeUrl: ProcessDetails.typeName, value: ProcessDetails.encode({ execId }) };
        return { pid, info };
      }),
    };
  }

  async pause(r: Req<typeof T.PauseRequest>) {
    const task = this.#task(r.id);
    await task.runtime.pause(task.id);
    this.deps.publisher.publish("/tasks/paused", E.TaskPaused, { containerId: task.id });
    return {};
  }

  async resume(r: Req<typeof T.ResumeRequest>) {
    const task = this.#task(r.id);
    await task.runtime.resume(task.id);
    this.deps.publisher.publish("/tasks/resumed", E.TaskResumed, { containerId: task.id });
    return {};
  }

  checkpoint(r: Req<typeof T.CheckpointTaskRequest>): never {
    this.#task(r.id);
    throw new ShimError(
      Code.UNIMPLEMENTED,
      "checkpoint is not supported by runo (no CRIU support)",
    );
  }

  resizePty(r: Req<typeof T.ResizePtyRequest>) {
    this.#proc(this.#task(r.id), r.execId).io.resize(r.width, r.height);
    return {};
  }

  closeIO(r: Req<typeof T.CloseIORequest>) {
    const proc = this.#proc(this.#task(r.id), r.execId);
    if (r.stdin) proc.io.closeStdin();
    return {};
  }

  async update(r: Req<typeof T.UpdateTaskRequest>) {
    const task = this.#task(r.id);
    if (!r.resources) return {};
    let resources: Resources;
    try {
      resources = JSON.parse(new TextDecoder().decode(r.resources.value));
    } catch {
      throw new ShimError(
        Code.INVALID_ARGUMENT,
        `update ${r.id}: resources are not LinuxResources JSON`,
      );
    }
    for (const w of await task.runtime.update(task.id, resources)) {
      this.deps.log(`update ${r.id}: ${w}`);
    }
    return {};
  }

  async wait(r: Req<typeof T.WaitRequest>) {
    const proc = this.#proc(this.#task(r.id), r.execId);
    await proc.done;
    return { exitStatus: proc.exitStatus, exitedAt: proc.exitTime() };
  }

  async stats(r: Req<typeof T.StatsRequest>) {
    const task = this.#task(r.id);
    return { stats: metricsAny(await task.runtime.stats(task.id)) };
  }

  connect(r: Req<typeof T.ConnectRequest>) {
    const task = this.tasks.get(r.id);
    return { shimPid: Deno.pid, taskPid: task?.init.pid ?? 0, version: "runo-shim v2" };
  }

  shutdown(r: Req<typeof T.ShutdownRequest>) {
    if (this.tasks.size === 0 && this.#creating.size === 0) this.deps.onIdle(r.now);
    return {};
  }

  #task(id: string): Task {
    const task = this.tasks.get(id);
    if (!task) throw notFound(`task ${id}`);
    return task;
  }

  #proc(task: Task, execId: string): Proc {
    const proc = task.process(execId);
    if (!proc) throw notFound(`process ${execId} of task ${task.id}`);
    return proc;
  }

  #track(task: Task, proc: Proc): void {
    this.#byPid.set(proc.pid, { task, proc });
    const early = this.deps.reaper.exited(proc.pid);
    if (early) this.#onExit(early.pid, early.status, early.at);
  }

  #onExit(pid: number, status: number, at: number): void {
    const found = this.#byPid.get(pid);
    if (!found || found.proc.status === "stopped") return;
    const { task, proc } = found;
    proc.setExited(exitCodeOf(status), at);
    // Without a pid namespace of its own, the init's exit does not end the
    // rest of the container: runc's shim kills it (ShouldKillAllOnExit).
    const rest = proc === task.init && !task.ownPidNamespace
      ? task.runtime.kill(task.id, 9, { all: true }).catch(() => {})
      : undefined;
    // The start event first, then the terminal's last output, then the exit.
    Promise.all([proc.started.promise, proc.io.exited(), rest]).finally(() => {
      this.deps.publisher.publish("/tasks/exit", E.TaskExit, {
        containerId: task.id,
        id: proc.id,
        pid,
        exitStatus: proc.exitStatus,
        exitedAt: proc.exitTime(),
      });
    });
  }
}
