// runo's logger, as runc's --log/--log-format/--debug set it up. Records
// are queued synchronously and written through LogTape (sink.ts), which is
// imported only when a record is actually emitted: most successful
// commands log nothing and never pay LogTape's ~6 ms load.
//
// Permissions: none to queue; --allow-write for --log, when flushed.
import { load } from "../lazy.ts";

export type Level = "debug" | "info" | "warning" | "error";

export interface LogConfig {
  /** The --log file; stderr when absent. */
  readonly file?: string;
  readonly format: "text" | "json";
  readonly debug: boolean;
}

interface Pending {
  readonly level: Level;
  readonly msg: string;
  readonly time: Date;
}

let config: LogConfig = { format: "text", debug: false };
const queue: Pending[] = [];

export function configureLog(c: LogConfig): void {
  config = c;
}

export function logConfig(): LogConfig {
  return config;
}

function push(level: Level, msg: string): void {
  if (level === "debug" && !config.debug) return;
  queue.push({ level, msg, time: new Date() });
}

export const log = {
  debug: (msg: string) => push("debug", msg),
  info: (msg: string) => push("info", msg),
  warn: (msg: string) => push("warning", msg),
  error: (msg: string) => push("error", msg),
};

/** Writes what was queued; the CLI awaits this before it exits. */
export async function flushLog(): Promise<void> {
  if (queue.length === 0) return;
  const { emit } = await load<typeof import("./sink.ts")>("lib/log/sink.ts");
  await emit(config, queue.splice(0));
}
