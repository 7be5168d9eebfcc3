// runo restore: runc's command exists, but runo has no CRIU integration, so it
// fails with a clear message and a non-zero exit instead of "No help topic".
// Permissions: none.
import type { Command } from "./command.ts";
import { notSupported } from "./unsupported.ts";

export const command: Command = notSupported(
  "restore",
  "restore a container from a previous checkpoint",
);
