// runo start <container-id>
// Permissions: as lib/container/start.ts.
import type { Command } from "./command.ts";
import { containerId } from "./command.ts";
import { startContainer } from "../container/start.ts";

export const command: Command = {
  name: "start",
  usage: "runo start <container-id>",
  summary: "executes the user defined process in a created container",
  args: { min: 1, max: 1 },
  description:
    "The start command runs the user-defined process of a container made by `runo create`.",
  flags: [],
  async run(ctx, parsed) {
    await startContainer(ctx.root, containerId(parsed, "start"));
    return 0;
  },
};
