/**
 * runo as a library: create and drive OCI containers from Deno without
 * the CLI, and parse, validate and generate OCI configs.
 *
 * Importing this module needs no permission and loads no FFI. The config
 * functions ({@linkcode parseConfig}, {@linkcode validateConfig},
 * {@linkcode defaultConfig}) never need one. The {@linkcode Runtime}'s
 * methods act on real containers: they need root and `--allow-ffi
 * --allow-read --allow-write --allow-env`, check that first, and throw
 * `Deno.errors.NotCapable` naming each missing flag. runo never needs
 * `--allow-all`.
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
export type {
  BlkioCounter,
  ContainerEvent,
  ContainerInfo,
  ContainerList,
  ContainerOutput,
  ContainerStats,
  ContainerStatus,
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
