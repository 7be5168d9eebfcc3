// The parent's end of a console socket (process.terminal). With
// --console-socket PATH runo connects to the caller's socket and hands the
// connection to the init, which sends the pty master there itself (runc's
// contract with containerd and conmon). Without one, runo makes a
// socketpair, keeps one end and receives the master for its own pty proxy
// (foreground `run -t` / `exec -t`).
//
// Permissions: --allow-ffi.

import { close, socketpair } from "../../ffi/syscalls.ts";
import { connectUnix, type ReceivedFd, recvFdAsync } from "../../ffi/unix_socket.ts";

export interface ConsoleChannel {
  /** The fd the init gets as its console socket. */
  readonly initEnd: number;
  /** Receives the master; only for runo's own socketpair. */
  receive(): Promise<ReceivedFd>;
  /** Closes the parent's copy of the init's end (after the spawn). */
  releaseInitEnd(): void;
  /**
   * After the init has sent the master: releases the init's end and, on
   * runo's own socketpair, receives the master and gives it to onMaster.
   */
  handOff(onMaster?: (master: number) => void): Promise<void>;
  /** Closes every fd still held. */
  [Symbol.dispose](): void;
}

/** A channel to `path`, or to runo itself when path is undefined. */
export function openConsole(path: string | undefined): ConsoleChannel {
  let initEnd: number;
  let ours: number | undefined;
  if (path !== undefined) {
    initEnd = connectUnix(path);
  } else {
    [ours, initEnd] = socketpair();
  }
  let initOpen = true;
  const releaseInitEnd = () => {
    if (initOpen) close(initEnd);
    initOpen = false;
  };
  return {
    initEnd,
    releaseInitEnd,
    receive() {
      if (ours === undefined) throw new Error("the pty master went to --console-socket");
      return recvFdAsync(ours);
    },
    async handOff(onMaster?: (master: number) => void) {
      releaseInitEnd();
      if (ours === undefined) return;
      const { fd } = await recvFdAsync(ours);
      if (onMaster) onMaster(fd);
      else close(fd);
    },
    [Symbol.dispose]() {
      releaseInitEnd();
      if (ours !== undefined) close(ours);
      ours = undefined;
    },
  };
}

/**
 * runc's rules for process.terminal and --console-socket: a terminal needs
 * a console socket unless runo proxies it in the foreground (`proxy`); a
 * console socket without a terminal is refused. Returns the channel, or
 * none without a terminal.
 */
export function consoleFor(
  terminal: boolean,
  socketPath: string | undefined,
  proxy: boolean,
): ConsoleChannel | undefined {
  if (terminal && socketPath === undefined && !proxy) {
    throw new Error("cannot allocate tty if runo will detach without setting console socket");
  }
  if (!terminal && socketPath !== undefined) {
    throw new Error("cannot use console socket if runo will not allocate a tty (process.terminal)");
  }
  return terminal ? openConsole(socketPath) : undefined;
}
