// runo pause <container-id>
// Permissions: as lib/container/pause.ts.
import type { Command } from "./command.ts";
import { containerId } from "./command.ts";
import { pauseContainer } from "../container/pause.ts";

export const command: Command = {
  name: "pause",
  usage: "runo pause <container-id>",
  summary: "pause suspends all processes inside the container",
  args: { min: 1, max: 1 },
  flags: [],
  async run(ctx, parsed) {
    await pauseContainer(ctx.root, containerId(parsed, "pause"));
    return 0;
  },
};
