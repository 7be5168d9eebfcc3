// runo delete [--force] <container-id>
// Permissions: as lib/container/delete.ts.
import type { Command } from "./command.ts";
import { containerId } from "./command.ts";
import { deleteContainer } from "../container/delete.ts";

export const command: Command = {
  name: "delete",
  usage: "runo delete [command options] <container-id>",
  summary: "delete any resources held by the container",
  args: { min: 1, max: 1 },
  description:
    "The delete command removes a stopped container: its state, its cgroups, and runs its poststop hooks. With --force a running container is killed first; deleting a container that does not exist then succeeds.",
  flags: [{
    name: "force",
    alias: "f",
    kind: "bool",
    help: "forcibly delete the container if it is still running (uses SIGKILL)",
  }],
  async run(ctx, parsed) {
    await deleteContainer(ctx.root, containerId(parsed, "delete"), parsed.values.force === true);
    return 0;
  },
};
