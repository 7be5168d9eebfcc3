// runo run [flags] <container-id>
// Permissions: as lib/container/run.ts.
import { containerId, defineCommand } from "./command.ts";
import { CREATE_FLAGS, createOptions } from "./create_flags.ts";
import { runContainer } from "../container/run.ts";
import { setChildSubreaper } from "../../ffi/process.ts";

export const command = defineCommand({
  name: "run",
  usage: "runo run [command options] <container-id>",
  summary: "create and run a container",
  args: { min: 1, max: 1 },
  description:
    "The run command creates an instance of a container for a bundle and starts it. In the foreground runo waits for the container's process, forwards signals to it, deletes the container (unless --keep) and exits with its exit code (128+n when signal n killed it); with --detach it returns once the process runs.",
  flags: [
    ...CREATE_FLAGS,
    { name: "detach", alias: "d", kind: "bool", help: "detach from the container's process" },
    { name: "keep", kind: "bool", help: "do not delete the container after it exits" },
    {
      name: "no-subreaper",
      kind: "bool",
      help: "disable the use of the subreaper used to reap reparented processes",
    },
  ],
  run(ctx, parsed) {
    // As runc: in the foreground runo is a child subreaper, so that the
    // container's orphans (no pid namespace of its own) are its children.
    if (parsed.values.detach !== true && parsed.values["no-subreaper"] !== true) {
      setChildSubreaper(true);
    }
    return runContainer({
      ...createOptions(ctx, parsed, containerId(parsed, "run")),
      detach: parsed.values.detach === true,
      keep: parsed.values.keep === true,
    });
  },
});
