// runo resume <container-id>
// Permissions: as lib/container/pause.ts.
import type { Command } from "./command.ts";
import { containerId } from "./command.ts";
import { resumeContainer } from "../container/pause.ts";

export const command: Command = {
  name: "resume",
  usage: "runo resume <container-id>",
  summary: "resumes all processes that have been previously paused",
  args: { min: 1, max: 1 },
  flags: [],
  async run(ctx, parsed) {
    await resumeContainer(ctx.root, containerId(parsed, "resume"));
    return 0;
  },
};
