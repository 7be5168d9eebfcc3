// runo list [--format table|json] [--quiet]
// Permissions: as lib/container/query.ts.
import { defineCommand } from "./command.ts";
import { UsageError } from "./args.ts";
import { listContainers, type OciState } from "../container/query.ts";
import { log } from "../log/log.ts";

export const command = defineCommand({
  name: "list",
  usage: "runo list [command options]",
  summary: "lists containers started by runo with the given root",
  args: { min: 0, max: 0 },
  description: "The list command lists the containers under --root, as a table or as JSON.",
  flags: [
    { name: "format", alias: "f", kind: "string", value: "FORMAT", help: "table or json" },
    { name: "quiet", alias: "q", kind: "bool", help: "display only container IDs" },
  ],
  run(ctx, parsed) {
    const format = parsed.values.format ?? "table";
    if (format !== "table" && format !== "json") {
      throw new UsageError(`invalid format option "${format}": use table or json`);
    }
    const { containers, problems } = listContainers(ctx.root);
    for (const p of problems) log.warn(`list: skipping ${p}`);
    if (parsed.values.quiet === true) {
      for (const c of containers) console.log(c.id);
    } else if (format === "json") {
      console.log(JSON.stringify(containers));
    } else {
      console.log(table(containers));
    }
    return Promise.resolve(0);
  },
});

/** runc's tabwriter layout: columns padded to the widest cell + 3. */
function table(containers: readonly OciState[]): string {
  const rows = [["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]];
  for (const c of containers) {
    rows.push([c.id, String(c.pid), c.status, c.bundle, c.created, c.owner]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)) + 3);
  return rows.map((r) =>
    r.map((cell, i) => i < r.length - 1 ? cell.padEnd(widths[i]) : cell).join("")
  )
    .join("\n");
}
