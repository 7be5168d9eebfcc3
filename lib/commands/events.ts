// runo events [--stats] [--interval 5s] <container-id>
// Permissions: as lib/container/events.ts.
import { defineCommand } from "./command.ts";
import { UsageError } from "./args.ts";
import { statsEvent, streamEvents } from "../container/events.ts";

/** Go-style durations as runc takes them: "5s", "500ms", "1m". */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m || Number(m[1]) <= 0) throw new UsageError(`invalid --interval "${text}": use e.g. 5s`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60000 }[m[2] as "s"];
}

export const command = defineCommand({
  name: "events",
  usage: "runo events [command options] <container-id>",
  summary: "display container events such as OOM notifications, cpu, memory, and IO usage",
  args: { min: 1, max: 1 },
  flags: [
    { name: "interval", kind: "string", value: "DURATION", help: "stats interval (default 5s)" },
    { name: "stats", kind: "bool", help: "display the container's stats once then exit" },
  ],
  async run(ctx, parsed) {
    const id = parsed.positionals[0];
    if (parsed.values.stats === true) {
      console.log(JSON.stringify(await statsEvent(ctx.root, id)));
      return 0;
    }
    const interval = parseDuration(parsed.values.interval ?? "5s");
    await streamEvents(ctx.root, id, interval, (e) => console.log(JSON.stringify(e)));
    return 0;
  },
});
