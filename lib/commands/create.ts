// runo create [flags] <container-id>
// Permissions: as lib/container/create.ts.
import { containerId, defineCommand } from "./command.ts";
import { CREATE_FLAGS, createOptions } from "./create_flags.ts";
import { createContainer } from "../container/create.ts";

export const command = defineCommand({
  name: "create",
  usage: "runo create [command options] <container-id>",
  summary: "create a container",
  args: { min: 1, max: 1 },
  description:
    "The create command creates an instance of a container for a bundle: a directory holding a specification file named config.json and a root filesystem. <container-id> names this instance and must be unique under --root. The container's init is left waiting; `runo start` runs the configured process.",
  flags: CREATE_FLAGS,
  async run(ctx, parsed) {
    await createContainer(createOptions(ctx, parsed, containerId(parsed, "create")));
    return 0;
  },
});
