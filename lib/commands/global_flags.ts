// The global flags, before the command (runc's app flags).
//
// Permissions: none.

import type { FlagSpec } from "./args.ts";

/** Where state lives without --root (lib/state/store.ts's DEFAULT_ROOT; help_test checks). */
const DEFAULT_ROOT = "/run/runo";

export const GLOBAL_FLAGS = [
  { name: "debug", kind: "bool", help: "enable debug logging" },
  { name: "log", kind: "string", value: "FILE", help: "set the log file to write logs to" },
  { name: "log-format", kind: "string", value: "text|json", help: "log format (default: text)" },
  {
    name: "root",
    kind: "string",
    value: "DIR",
    help: `root directory for container state (default: ${DEFAULT_ROOT}, ` +
      "or $XDG_RUNTIME_DIR/runo rootless)",
  },
  { name: "systemd-cgroup", kind: "bool", help: "use systemd for cgroups (needs systemd)" },
  { name: "rootless", kind: "string", value: "true|false|auto", help: "rootless mode" },
  { name: "criu", kind: "string", value: "PATH", help: "path to criu (unused)" },
  { name: "help", alias: "h", kind: "bool", help: "show help" },
  { name: "version", alias: "v", kind: "bool", help: "print the version" },
] as const satisfies readonly FlagSpec[];
