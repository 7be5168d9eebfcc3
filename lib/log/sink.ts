// The LogTape side of log.ts, loaded only when there is something to write.
// Formats match runc's logrus output so engines can read our --log file:
// json: {"level":"error","msg":"…","time":"…"}; text: time="…" level=… msg="…".
//
// Permissions: --allow-write for the --log file.

import { configure, getLogger, type LogRecord } from "@logtape/logtape";
import type { Level, LogConfig } from "./log.ts";

export function formatRecord(format: "text" | "json", r: LogRecord): string {
  const level = r.level === "warning" ? "warning" : r.level;
  const msg = r.message.map(String).join("");
  const time = new Date(r.timestamp).toISOString();
  if (format === "json") return JSON.stringify({ level, msg, time }) + "\n";
  return `time="${time}" level=${level} msg=${JSON.stringify(msg)}\n`;
}

let configured = false;

export async function emit(
  config: LogConfig,
  records: readonly { level: Level; msg: string; time: Date }[],
): Promise<void> {
  const encoder = new TextEncoder();
  const lines: string[] = [];
  if (!configured) {
    await configure({
      reset: true,
      sinks: { runo: (r: LogRecord) => lines.push(formatRecord(config.format, r)) },
      loggers: [
        { category: ["runo"], lowestLevel: "debug", sinks: ["runo"] },
        { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
      ],
    });
    configured = true;
  }
  const logger = getLogger(["runo"]);
  for (const r of records) {
    // Keep the time the record was queued, not the time it is flushed.
    logger.emit({
      level: r.level,
      message: [r.msg],
      rawMessage: r.msg,
      timestamp: +r.time,
      properties: {},
    });
  }
  const data = encoder.encode(lines.join(""));
  if (config.file) {
    Deno.writeFileSync(config.file, data, { append: true, create: true });
  } else {
    Deno.stderr.writeSync(data);
  }
}
