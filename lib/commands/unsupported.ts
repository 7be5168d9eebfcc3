// checkpoint and restore: runc's commands exist here with runc's flags, so
// an engine or a user gets one clear answer whatever they pass: runo has
// no CRIU integration. Exit non-zero.
//
// Permissions: none.

import type { FlagSpec } from "./args.ts";
import type { Command } from "./command.ts";

export class NotSupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotSupportedError";
  }
}

const bool = (name: string, alias?: string): FlagSpec => ({ name, alias, kind: "bool", help: "" });
const str = (name: string, alias?: string): FlagSpec => ({ name, alias, kind: "string", help: "" });
const list = (name: string): FlagSpec => ({ name, kind: "list", help: "" });

/** runc 1.1's flags common to checkpoint and restore. */
const CRIU_FLAGS: readonly FlagSpec[] = [
  str("image-path"),
  str("work-path"),
  bool("tcp-established"),
  bool("ext-unix-sk"),
  bool("shell-job"),
  bool("file-locks"),
  bool("lazy-pages"),
  str("manage-cgroups-mode"),
  list("empty-ns"),
  bool("auto-dedup"),
];

const ONLY: Record<string, readonly FlagSpec[]> = {
  checkpoint: [
    str("parent-path"),
    bool("leave-running"),
    str("status-fd"),
    str("page-server"),
    bool("pre-dump"),
  ],
  restore: [
    str("console-socket"),
    str("bundle", "b"),
    bool("detach", "d"),
    str("pid-file"),
    bool("no-subreaper"),
    bool("no-pivot"),
    str("lsm-profile"),
    str("lsm-mount-context"),
  ],
};

export function notSupported(name: "checkpoint" | "restore", summary: string): Command {
  return {
    name,
    usage: `runo ${name} [command options] <container-id>`,
    summary: `${summary} (not supported: no CRIU integration)`,
    flags: [...CRIU_FLAGS, ...ONLY[name]],
    run() {
      return Promise.reject(
        new NotSupportedError(`${name} is not supported by runo (no CRIU integration)`),
      );
    },
  };
}
