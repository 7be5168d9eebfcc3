// runo kill [--all] <container-id> [signal]
// Permissions: as lib/container/kill.ts.
import { containerId, defineCommand } from "./command.ts";
import { UsageError } from "./args.ts";
import { killContainer } from "../container/kill.ts";
import { parseSignal } from "../process/signals.ts";

export const command = defineCommand({
  name: "kill",
  usage: "runo kill [command options] <container-id> [signal]",
  summary: "kill sends the specified signal (default: SIGTERM) to the container's init process",
  args: { min: 1, max: 2 },
  description:
    "The kill command sends a signal to the container's init process. [signal] is a name (KILL, SIGKILL) or a number; SIGTERM by default.",
  flags: [{ name: "all", alias: "a", kind: "bool", help: "send the signal to all processes" }],
  async run(ctx, parsed) {
    const id = containerId(parsed, "kill");
    let signal: number;
    try {
      // An empty signal means the default too, as runc takes it.
      signal = parseSignal(parsed.positionals[1] || "SIGTERM");
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    await killContainer({ root: ctx.root, id, signal, all: parsed.values.all === true });
    return 0;
  },
});
