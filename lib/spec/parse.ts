// config.json → Spec. Every field of types.ts is checked for shape, type and
// range and copied; unknown fields (other platforms' sections among them)
// are left out. The first problem is thrown as a ConfigError with its JSON
// pointer. Rules across sections are validate.ts's.
//
// Permissions: none.

import { at, ConfigError } from "./config_error.ts";
import {
  absolutePath,
  arrayOf,
  boolean,
  type Check,
  integer,
  mapOf,
  nonEmptyString,
  object,
  opt,
  req,
  type Rule,
  string,
} from "./_check.ts";
import { ID_MAPPING, LINUX } from "./parse_linux.ts";
import { envEntry, parseProcess } from "./parse_process.ts";
import type { Hook, Hooks, Mount, Root, Spec } from "./types.ts";

export { parseProcess };
export { parseExecProcess } from "./parse_process.ts";

// SemVer 2.0.0 (semver.org), with its prerelease and build parts.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

// The spec keeps compatibility within a major version, so any 1.x config
// is one runo can read; 0.x drafts and a future 2.x are not.
const ociVersion: Check<string> = (v, p) => {
  const version = string(v, p);
  const match = SEMVER.exec(version);
  if (!match) throw new ConfigError(p, `invalid version ${JSON.stringify(version)}: not SemVer`);
  if (match[1] !== "1") {
    throw new ConfigError(
      p,
      `unsupported runtime spec version ${JSON.stringify(version)}: runo reads 1.x configs`,
    );
  }
  return version;
};

const ROOT = object<Root>({ path: req(nonEmptyString), readonly: opt(boolean) });

const HOOK = object<Hook>({
  // The runtime spec extends execv(3)'s path: it "MUST be absolute".
  path: req(absolutePath),
  args: opt(arrayOf(string)),
  env: opt(arrayOf(envEntry)),
  timeout: opt(integer(1, 2 ** 31 - 1, "a positive number of seconds")),
});
const hooks = opt(arrayOf(HOOK));

const HOOKS = object<Hooks>({
  prestart: hooks,
  createRuntime: hooks,
  createContainer: hooks,
  startContainer: hooks,
  poststart: hooks,
  poststop: hooks,
});

const isBind = (m: Mount) =>
  m.type === "bind" || (m.options ?? []).some((o) => o === "bind" || o === "rbind");

// Id-mapped mounts (mount_setattr(2) MOUNT_ATTR_IDMAP) apply to a bind
// mount of a source outside the container, and need both maps to build the
// user namespace they take.
const idmapFitsMount: Rule<Mount> = (m, p) => {
  if (m.uidMappings === undefined && m.gidMappings === undefined) return;
  const field = m.uidMappings ? "uidMappings" : "gidMappings";
  if (!isBind(m)) throw new ConfigError(at(p, field), "id-mapped mounts must be bind mounts");
  if (!m.uidMappings?.length || !m.gidMappings?.length) {
    throw new ConfigError(at(p, field), "id-mapped mounts need both uidMappings and gidMappings");
  }
  if (!m.source?.startsWith("/")) {
    throw new ConfigError(at(p, "source"), "must be an absolute path for an id-mapped mount");
  }
};

// runc 1.1 accepts a relative destination (with a deprecation warning) and
// takes it as relative to "/"; so do we. Empty would mean the rootfs itself.
const MOUNT = object<Mount>({
  destination: req(nonEmptyString),
  source: opt(string),
  type: opt(string),
  options: opt(arrayOf(string)),
  uidMappings: opt(arrayOf(ID_MAPPING)),
  gidMappings: opt(arrayOf(ID_MAPPING)),
}, idmapFitsMount);

const SPEC = object<Spec>({
  ociVersion: req(ociVersion),
  root: opt(ROOT),
  process: opt((v, p) => parseProcess(v, p)),
  hostname: opt(string),
  domainname: opt(string),
  mounts: opt(arrayOf(MOUNT)),
  hooks: opt(HOOKS),
  annotations: opt(mapOf(string)),
  linux: opt(LINUX),
});

/** Reads a config.json value already parsed from JSON. Throws ConfigError. */
export function parseSpec(json: unknown): Spec {
  return SPEC(json, "");
}

/** Reads config.json text; bad JSON is a ConfigError with pointer "". */
export function parseSpecText(text: string, file = "config.json"): Spec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // V8 quotes the offending input, which may hold newlines or control
    // bytes: escaped, so the error stays one line.
    const reason = (err as Error).message.replace(
      // deno-lint-ignore no-control-regex
      /[\u0000-\u001f\u007f]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
    );
    throw new ConfigError("", `invalid JSON: ${reason}`, { file, cause: err });
  }
  try {
    return parseSpec(json);
  } catch (err) {
    throw err instanceof ConfigError && file !== err.file ? err.inFile(file) : err;
  }
}
