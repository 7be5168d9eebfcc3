// The library's permission check: a call names every --allow flag it
// lacks before it touches anything, instead of failing half-way on the
// first one Deno refuses. Paths and variables are queried as such, so a
// program may grant scoped flags (--allow-read=/run/runo,/srv/bundles
// --allow-env=NOTIFY_SOCKET,LISTEN_FDS,LISTEN_PID): runNeeds lists exactly
// what each Runtime method touches through Deno's own APIs (the FFI
// calls need only --allow-ffi).
//
// Permissions: none (Deno.permissions.querySync needs none).

import { codeRoot } from "../../ffi/code_root.ts";

/** One permission a call needs, optionally for one path or variable. */
export type Needed =
  | { readonly name: "ffi" | "run" }
  | { readonly name: "env"; readonly variable?: string }
  | { readonly name: "read" | "write"; readonly path: string };

/** What a Runtime method touches beside the FFI. */
export interface CallScope {
  /** The state root (read always, written unless `readOnly`). */
  readonly root: string;
  /** The bundle directory create/run read. */
  readonly bundle?: string;
  /** Environment variables the call reads (create: NOTIFY_SOCKET, LISTEN_FDS…). */
  readonly env?: readonly string[];
  /** Files the call writes beside the root (a pid file). */
  readonly writes?: readonly (string | undefined)[];
  /** Only reads the root (state, list, stats…). */
  readonly readOnly?: boolean;
}

/** What create and run read from the environment (lib/container/create.ts). */
export const CREATE_ENV = ["NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID"] as const;

/** The permissions of a Runtime call over `scope`. */
export function runNeeds(scope: CallScope): Needed[] {
  const needed: Needed[] = [{ name: "ffi" }, { name: "read", path: scope.root }];
  if (!scope.readOnly) needed.push({ name: "write", path: scope.root });
  // runo's modules are imported on first use: reading them needs the flag.
  const code = codeRoot();
  if (code.protocol === "file:") {
    needed.push({ name: "read", path: decodeURIComponent(code.pathname) });
  }
  if (scope.bundle !== undefined) needed.push({ name: "read", path: scope.bundle });
  for (const variable of scope.env ?? []) needed.push({ name: "env", variable });
  for (const path of scope.writes ?? []) if (path) needed.push({ name: "write", path });
  return needed;
}

/** Throws Deno.errors.NotCapable naming the missing flags of `what`. */
export function requirePermissions(what: string, needed: readonly Needed[]): void {
  const missing = needed.filter((d) => Deno.permissions.querySync(d).state !== "granted");
  if (missing.length === 0) return;
  const flags = [...new Set(missing.map((d) => `--allow-${d.name}`))].join(" ");
  const scoped = missing.flatMap((d) => {
    // querySync may add absent fields (path: undefined) to a descriptor.
    if ("path" in d && d.path) return [`${d.name} ${d.path}`];
    if ("variable" in d && d.variable) return [`env ${d.variable}`];
    return [];
  });
  const detail = scoped.length ? ` (${scoped.join(", ")})` : "";
  throw new Deno.errors.NotCapable(
    `${what} needs ${flags}${detail}: run Deno with ${flags}; runo never needs --allow-all`,
  );
}
