/**
 * runo as a library: create and drive OCI containers from Deno without
 * the CLI, and parse, validate and generate OCI configs.
 *
 * Importing this module needs no permission and loads no FFI. The config
 * functions ({@linkcode parseConfig}, {@linkcode validateConfig},
 * {@linkcode defaultConfig}) never need one. The {@linkcode Runtime}'s
 * methods act on real containers: they need root and `--allow-ffi
 * --allow-read --allow-write --allow-env`, check that first, and throw
 * `Deno.errors.NotCapable` naming each missing flag (scoped grants work:
 * `--allow-read=/run/runo,/srv/bundles,<runo's source tree>
 * --allow-write=/run/runo --allow-env=NOTIFY_SOCKET,LISTEN_FDS,LISTEN_PID`).
 * runo never needs `--allow-all`.
 *
 * Every error runo throws is a class exported here with a `code` a
 * program can switch on: {@linkcode StateError} (NOT_FOUND,
 * ALREADY_EXISTS, INVALID_ID, INVALID_STATE, START_FAILED),
 * {@linkcode ConfigError} (INVALID_CONFIG), {@linkcode BundleError}
 * (INVALID_BUNDLE), {@linkcode SyscallError} (the errno's name),
 * {@linkcode InitError}, {@linkcode HookError}, {@linkcode ExecError},
 * {@linkcode NotSupportedError}, {@linkcode CgroupInUseError}.
 *
 * ```ts ignore
 * import { Runtime, validateConfig } from "./mod.ts";
 *
 * validateConfig(await Deno.readTextFile("bundle/config.json"));
 * const runtime = new Runtime({ root: "/run/runo" });
 * const { code, stdout } = await runtime.output("hello", "bundle");
 * ```
 *
 * @module
 */

export { Runtime } from "./lib/runtime/runtime.ts";
export { StateError } from "./lib/state/state.ts";
export type { StateErrorCode } from "./lib/state/state.ts";
export { BundleError } from "./lib/spec/load.ts";
export { SyscallError } from "./ffi/syscall_error.ts";
export { FileError } from "./lib/file_error.ts";
export { InitError } from "./lib/process/init_process.ts";
export { HookError } from "./lib/hooks/run.ts";
export type { HookPhase } from "./lib/spec/hooks.ts";
export { ExecError } from "./lib/container/exec_process.ts";
export { NotSupportedError } from "./lib/commands/unsupported.ts";
export { CgroupInUseError } from "./lib/cgroups/shell.ts";
export type {
  BlkioCounter,
  ContainerEvent,
  ContainerInfo,
  ContainerList,
  ContainerOutput,
  ContainerStats,
  ContainerStatus,
  CreatedContainer,
  CreateOptions,
  DeleteOptions,
  EventsOptions,
  ExecOptions,
  KillOptions,
  MemoryCounter,
  OutputOptions,
  RunOptions,
  RuntimeOptions,
} from "./lib/runtime/types.ts";
export { defaultConfig, parseConfig, validateConfig } from "./lib/runtime/spec.ts";
export type { ValidateOptions } from "./lib/runtime/spec.ts";
export { ConfigError } from "./lib/spec/config_error.ts";
export type * from "./lib/spec/types.ts";
