// The parent side of the init: spawn the sealed C init, send it the
// bootstrap, and drive the init-pipe protocol (lib/sync/messages.ts) until
// setup is done. One loop serves create and exec.
//
// Permissions: --allow-ffi (spawn, sockets), --allow-env and --allow-read
// (locating build/).

import type { Plan } from "../bootstrap/plan.ts";
import { libDir } from "../../ffi/libnsexec.ts";
import {
  close,
  kill,
  pipe,
  readAvailable,
  recvReadyPacketWithFd,
  sealExe,
  send,
  setNonblock,
  socketpair,
  spawn,
} from "../../ffi/syscalls.ts";
import { errnoText } from "../../ffi/errno.ts";
import { reap } from "./reap.ts";
import { pollReadable } from "../../ffi/event_fds.ts";
import { encodeMessage } from "../sync/messages.ts";
import { parseFromInit } from "../sync/parse.ts";
import { faultPoint } from "./fault.ts";
import { phase } from "../log/trace.ts";
import type { ChildFds } from "./child_fds.ts";
import { getAffinity, setAffinity } from "../../ffi/process.ts";
import { type AffinityPlan, ALL_CPUS, maskHex } from "./cpu_affinity.ts";
import { log, logConfig } from "../log/log.ts";

/** A failure the init reported, named by the planner step that failed. */
export class InitError extends Error {
  /** For a program to switch on: always INIT_FAILED. */
  readonly code = "INIT_FAILED";
  /** The planner step of the failing operation ("" before the plan ran). */
  readonly step: string;
  /** The errno the init reported (0 when none). */
  readonly errno: number;
  /** The failure of `step` with `errno`, in the init's words. */
  constructor(step: string, errno: number, message: string) {
    super(step ? `${step}: ${message}` : message);
    this.name = "InitError";
    this.step = step;
    this.errno = errno;
  }
}

export interface InitLaunch {
  readonly bootstrap: Uint8Array;
  /** The plan inside the bootstrap, to name a failing operation's step. */
  readonly plan: Plan;
  readonly stdio: readonly [number, number, number];
  /** The init's fds beyond stdio: preserved, the pipes, what the caller added. */
  readonly fds: ChildFds;
  /**
   * Called at procReady, before procRun, with the init's (stage 2) host
   * pid: cgroup limits, prestart/createRuntime hooks.
   */
  readonly onReady?: (initPid: number) => void | Promise<void>;
  /** Called once the stage-0 pid is known, before the bootstrap is sent. */
  readonly onSpawn?: (stage0Pid: number) => void | Promise<void>;
  readonly onLog?: (level: string, msg: string) => void;
  /**
   * Called with the seccomp notify listener fd (procSeccomp) and the init's
   * pid; it hands the fd on (linux.seccomp.listenerPath). The fd is closed
   * after it returns, then procSeccompDone lets the init go on.
   */
  readonly onSeccompListener?: (fd: number, initPid: number) => void | Promise<void>;
  /** CPU affinity around the cgroup join (lib/process/cpu_affinity.ts). */
  readonly affinity?: AffinityPlan;
  /**
   * How long one wait on the init may take (create: its cgroup frozen
   * under it would hang runo for ever); none for exec, which runs on
   * resume into a paused container, as runc's does.
   */
  readonly stall?: { readonly ms: number; readonly onStall: () => void };
}

export interface InitProcess {
  /** The container's init (stage 2) in the host pid namespace. */
  readonly pid: number;
}

/**
 * Runs the init until it closes the init pipe (setup done, the plan now
 * waits on the exec fifo or has exec'd). On any failure every stage is
 * killed and reaped before the error is thrown.
 */
export async function launchInit(launch: InitLaunch): Promise<InitProcess> {
  const table = launch.fds;
  const [parentSock, childSock] = socketpair();
  const [logRead, logWrite] = pipe();
  const pids: number[] = [];
  let stage2 = 0;
  /** Every stage spawned so far; on failure, or when the init stalls. */
  const killAll = () => [...pids, stage2].filter((p) => p > 0).forEach((p) => kill(p, 9));
  try {
    setNonblock(logRead);
    const exe = sealExe(`${libDir()}/runo-init`);
    phase("init: pipes + sealed copy");
    try {
      const fds = table.spawnFds(launch.stdio, childSock, logWrite);
      const args = ["runo:init", String(table.initPipe), String(table.logPipe)];
      pids.push(withThreadAffinity(launch.affinity?.initial, () => spawn(exe, fds, args)));
    } finally {
      close(exe);
      close(childSock);
      close(logWrite);
    }
    phase("init: spawn");
    if (logConfig().debug) {
      log.debug(`stage 0 affinity before the cgroup join: ${maskHex(getAffinity(pids[0]))}`);
    }
    await launch.onSpawn?.(pids[0]);
    // After the join (a cpuset may have changed it), before stage 0 forks.
    setFinalAffinity(pids[0], launch.affinity?.final);
    phase("init: cgroup placement");
    faultPoint("bootstrap");
    send(parentSock, new Uint8Array(launch.bootstrap));
    stage2 = await syncLoop(
      parentSock,
      launch,
      pids,
      () => drainLogs(logRead, launch.onLog),
      (pid) => stage2 = pid,
      killAll,
    );
    return { pid: stage2 };
  } catch (err) {
    killAll();
    if (stage2 > 0) pids.push(stage2);
    throw err;
  } finally {
    drainLogs(logRead, launch.onLog);
    close(logRead);
    close(parentSock);
    // Stages 0 and 1 are our children (stage 1 through CLONE_PARENT) and
    // exit right after their last message; stage 2 is in `pids` only when
    // it was killed. A live stage 2 stays unreaped: it is the container.
    for (const pid of pids) reap(pid);
  }
}

/**
 * The init's next packet. Past `stall.ms` the stages are thawed
 * (onStall) and killed before the error. The wait is a poll on a worker
 * thread, not a timer: Deno's first setTimeout in a process costs 4-6 ms.
 */
async function nextPacket(
  sock: number,
  stall: InitLaunch["stall"],
  killAll: () => void,
): Promise<{ packet: Uint8Array | null; fd: number }> {
  if (!stall) {
    await pollReadable([sock], -1);
    return recvReadyPacketWithFd(sock);
  }
  if (await pollReadable([sock], stall.ms)) return recvReadyPacketWithFd(sock);
  stall.onStall();
  killAll();
  throw new InitError(
    "",
    0,
    `the container's init did not answer within ${
      stall.ms / 1000
    } s (was its cgroup frozen during create?)`,
  );
}

async function syncLoop(
  sock: number,
  launch: InitLaunch,
  pids: number[],
  drain: () => void,
  onStage2: (pid: number) => void,
  killAll: () => void,
): Promise<number> {
  let stage2 = 0;
  for (;;) {
    const { packet, fd } = await nextPacket(sock, launch.stall, killAll);
    drain();
    if (fd >= 0) {
      await onListener(sock, fd, launch, stage2, packet);
      continue;
    }
    if (packet === null) {
      phase("sync: wait for the init pipe's close");
      if (stage2 === 0) throw new InitError("", 0, "the init exited before it started");
      return stage2;
    }
    const msg = parseFromInit(packet);
    phase("sync: wait for", msg.type);
    switch (msg.type) {
      case "procPids":
        stage2 = msg.stage2_pid;
        onStage2(stage2);
        pids.push(msg.stage1_pid);
        faultPoint("stages");
        break;
      case "procReady":
        faultPoint("ready");
        await launch.onReady?.(stage2);
        send(sock, encodeMessage({ type: "procRun" }));
        phase("sync: procRun sent");
        break;
      case "procSeccomp":
        throw new InitError("", 0, "procSeccomp arrived without the listener fd");
      case "procError": {
        const step = msg.op >= 0 ? launch.plan[msg.op]?.step ?? `op ${msg.op}` : "";
        const text = msg.message || errnoText(msg.errno);
        throw new InitError(step, msg.errno, text);
      }
      default: {
        const _: never = msg;
        throw new Error(`unhandled message ${JSON.stringify(_)}`);
      }
    }
  }
}

/** A packet with an fd must be procSeccomp; the fd is closed in any case. */
async function onListener(
  sock: number,
  fd: number,
  launch: InitLaunch,
  initPid: number,
  packet: Uint8Array | null,
): Promise<void> {
  try {
    const msg = packet === null ? null : parseFromInit(packet);
    if (msg?.type !== "procSeccomp") {
      throw new InitError("", 0, `unexpected fd beside ${msg?.type ?? "an empty packet"}`);
    }
    if (!launch.onSeccompListener) {
      throw new InitError("", 0, "the init sent a seccomp listener, but nothing takes it");
    }
    await launch.onSeccompListener(fd, initPid);
  } finally {
    close(fd);
  }
  send(sock, encodeMessage({ type: "procSeccompDone" }));
}

/**
 * Runs `spawn` with the calling thread's CPU affinity set to `mask` (the
 * child inherits it), then puts the thread's own affinity back.
 */
function withThreadAffinity(
  mask: Uint8Array<ArrayBuffer> | undefined,
  spawn: () => number,
): number {
  if (!mask) return spawn();
  const saved = getAffinity(0);
  try {
    setAffinity(0, mask);
  } catch (err) {
    throw new Error(`process.execCPUAffinity.initial: ${(err as Error).message}`, { cause: err });
  }
  try {
    return spawn();
  } finally {
    setAffinity(0, saved.slice());
  }
}

/** runc: a configured final affinity must take; the default reset only warns. */
function setFinalAffinity(pid: number, mask: Uint8Array<ArrayBuffer> | undefined): void {
  if (!mask) return;
  try {
    setAffinity(pid, mask);
  } catch (err) {
    if (mask === ALL_CPUS) {
      log.warn(`resetting the CPU affinity of pid ${pid} failed: ${(err as Error).message}`);
      return;
    }
    throw new Error(`process.execCPUAffinity.final: ${(err as Error).message}`, { cause: err });
  }
}

const logBuf = new Uint8Array(65536);
let logRest = "";

/** Forwards the init's JSON log lines that are readable now. */
function drainLogs(fd: number, onLog?: (level: string, msg: string) => void): void {
  for (;;) {
    let chunk: Uint8Array | null;
    try {
      chunk = readAvailable(fd, logBuf);
    } catch {
      return;
    }
    if (chunk === null || chunk.length === 0) return;
    const lines = (logRest + new TextDecoder().decode(chunk)).split("\n");
    logRest = lines.pop() ?? "";
    for (const line of lines) {
      if (!line) continue;
      try {
        const { level, msg } = JSON.parse(line);
        onLog?.(String(level), String(msg));
      } catch {
        onLog?.("warn", `init log: ${line}`);
      }
    }
  }
}
