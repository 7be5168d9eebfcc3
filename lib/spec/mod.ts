// lib/spec: config.json → Spec, the rules a config must meet, and the
// default config of `runo spec`.
//
// Permissions: none, except loadBundleSpec (--allow-read, --allow-ffi).

export type * from "./types.ts";
export { NAMESPACE_TYPES } from "./types.ts";
export { at, ConfigError, type ConfigErrorOptions, escapeToken } from "./config_error.ts";
export { parseExecProcess, parseProcess, parseSpec, parseSpecText } from "./parse.ts";
export {
  CREATE_RULES,
  SPEC_RULES,
  type SpecRule,
  validateForCreate,
  validateSpec,
} from "./validate.ts";
export { BundleError, CONFIG_MAX, loadBundleSpec, type LoadedBundle } from "./load.ts";
export { defaultSpec, type DefaultSpecOptions, SPEC_VERSION } from "./default.ts";
export {
  IOPRIO_CLASSES,
  RLIMIT_TYPES,
  SCHEDULER_FLAGS,
  SCHEDULER_POLICIES,
} from "./parse_process.ts";
export {
  SECCOMP_ACTIONS,
  SECCOMP_ARCHES,
  SECCOMP_FLAGS,
  SECCOMP_OPERATORS,
} from "./parse_seccomp.ts";
export {
  MEMORY_POLICY_FLAGS,
  MEMORY_POLICY_MODES,
  ROOTFS_PROPAGATIONS,
  TIME_OFFSET_CLOCKS,
} from "./parse_linux.ts";
