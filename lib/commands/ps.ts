// runo ps [--format table|json] <container-id> [ps options]
// Permissions: as lib/container/ps.ts.
import type { Command } from "./command.ts";
import { containerId } from "./command.ts";
import { UsageError } from "./args.ts";
import { containerPids, psOutput } from "../container/ps.ts";

export const command: Command = {
  name: "ps",
  usage: "runo ps [command options] <container-id> [ps options]",
  summary: "ps displays the processes running inside a container",
  flags: [{
    name: "format",
    alias: "f",
    kind: "string",
    value: "table|json",
    help: "output format",
  }],
  async run(ctx, parsed) {
    const id = containerId(parsed, "ps");
    const format = (parsed.values.format as string | undefined) ?? "table";
    const pids = containerPids(ctx.root, id);
    if (format === "json") {
      console.log(JSON.stringify(pids));
      return 0;
    }
    if (format !== "table") throw new UsageError(`invalid format "${format}": use table or json`);
    await Deno.stdout.write(
      new TextEncoder().encode(await psOutput(pids, parsed.positionals.slice(1))),
    );
    return 0;
  },
};
