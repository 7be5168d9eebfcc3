// runo create [flags] <container-id>
// Permissions: as lib/container/create.ts.
import type { Command } from "./command.ts";
import { containerId } from "./command.ts";
import { CREATE_FLAGS, createOptions } from "./create_flags.ts";
import { createContainer } from "../container/create.ts";

export const command: Command = {
  name: "create",
  usage: "runo create [command options] <container-id>",
  summary: "create a container",
  flags: CREATE_FLAGS,
  async run(ctx, parsed) {
    await createContainer(createOptions(ctx, parsed, containerId(parsed, "create")));
    return 0;
  },
};
