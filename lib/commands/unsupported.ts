// checkpoint and restore: runc's commands exist here with runc's flags, so
// an engine or a user gets one clear answer whatever they pass: runo has
// no CRIU integration. Exit non-zero.
//
// Permissions: none.

import type { FlagSpec } from "./args.ts";
import type { Command } from "./command.ts";

/** A runc feature runo does not have (checkpoint, restore…). */
export class NotSupportedError extends Error {
  /** For a program to switch on: always NOT_SUPPORTED. */
  readonly code = "NOT_SUPPORTED";
  /** The feature's refusal, saying what is not supported. */
  constructor(message: string) {
    super(message);
    this.name = "NotSupportedError";
  }
}

// The help strings are runc's, so `--help` reads as runc's does.
const bool = (name: string, help: string, alias?: string): FlagSpec => ({
  name,
  alias,
  kind: "bool",
  help,
});
const str = (name: string, help: string, alias?: string): FlagSpec => ({
  name,
  alias,
  kind: "string",
  help,
});
const list = (name: string, help: string): FlagSpec => ({ name, kind: "list", help });

/** runc 1.1's flags common to checkpoint and restore. */
const CRIU_FLAGS: readonly FlagSpec[] = [
  str("image-path", "path for saving criu image files"),
  str("work-path", "path for saving work files and logs"),
  bool("tcp-established", "allow open tcp connections"),
  bool("ext-unix-sk", "allow external unix sockets"),
  bool("shell-job", "allow shell jobs"),
  bool("file-locks", "handle file locks, for safety"),
  bool("lazy-pages", "use userfaultfd to lazily restore memory pages"),
  str("manage-cgroups-mode", "cgroups mode: soft|full|strict|ignore"),
  list("empty-ns", "create a namespace, but don't restore its properties"),
  bool("auto-dedup", "enable auto deduplication of memory images"),
];

const ONLY: Record<string, readonly FlagSpec[]> = {
  checkpoint: [
    str("parent-path", "path for previous criu image files in pre-dump"),
    bool("leave-running", "leave the process running after checkpointing"),
    str("status-fd", "criu writes \\0 to this FD once lazy-pages is ready"),
    str("page-server", "ADDRESS:PORT of the page server"),
    bool(
      "pre-dump",
      "dump container's memory information only, leave the container running after this",
    ),
  ],
  restore: [
    str("console-socket", "path to an AF_UNIX socket which will receive the pty master"),
    str("bundle", "path to the root of the bundle directory", "b"),
    bool("detach", "detach from the container's process", "d"),
    str("pid-file", "specify the file to write the process id to"),
    bool("no-subreaper", "disable the use of the subreaper used to reap reparented processes"),
    bool("no-pivot", "do not use pivot root to jail process inside rootfs"),
    str("lsm-profile", "ProcessLabel (SELinux) or AppArmor profile to set while restoring"),
    str("lsm-mount-context", "SELinux mount context to set while restoring"),
  ],
};

export function notSupported(name: "checkpoint" | "restore", summary: string): Command {
  return {
    name,
    usage: `runo ${name} [command options] <container-id>`,
    summary: `${summary} (not supported: no CRIU integration)`,
    args: { min: 1, max: 1 },
    flags: [...CRIU_FLAGS, ...ONLY[name]],
    run() {
      return Promise.reject(
        new NotSupportedError(`${name} is not supported by runo (no CRIU integration)`),
      );
    },
  };
}
