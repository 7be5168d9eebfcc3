// runo ps [--format table|json] <container-id> [ps options]
// Permissions: as lib/container/ps.ts.
import { containerId, defineCommand } from "./command.ts";
import { type FlagSpec, type Parsed, parseFlags, UsageError } from "./args.ts";
import { containerPids, psOutput } from "../container/ps.ts";

const FLAGS = [
  { name: "format", alias: "f", kind: "string", value: "table|json", help: "output format" },
] as const satisfies readonly FlagSpec[];

/** As runc: flags end at the container id; what follows goes to ps as is. */
export function parsePsArgs(argv: readonly string[]): Parsed<typeof FLAGS> {
  const parsed = parseFlags(argv, FLAGS, true);
  const [id, ...rest] = parsed.positionals;
  if (rest[0] === "--") rest.shift();
  return { values: parsed.values, positionals: id === undefined ? [] : [id, ...rest] };
}

export const command = defineCommand({
  name: "ps",
  usage: "runo ps [command options] <container-id> [ps options]",
  summary: "ps displays the processes running inside a container",
  args: { min: 1 },
  flags: FLAGS,
  parse: parsePsArgs,
  async run(ctx, parsed) {
    const id = containerId(parsed, "ps");
    const format = parsed.values.format ?? "table";
    const pids = await containerPids(ctx.root, id);
    if (format === "json") {
      // runc prints Go's nil slice, `null`, when there is no pid.
      console.log(pids.length ? JSON.stringify(pids) : "null");
      return 0;
    }
    if (format !== "table") throw new UsageError(`invalid format "${format}": use table or json`);
    const out = await psOutput(pids, parsed.positionals.slice(1));
    await Deno.stdout.write(new TextEncoder().encode(out));
    return 0;
  },
});
