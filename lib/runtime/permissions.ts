// The library's permission check: a privileged call names every --allow
// flag it lacks before it touches anything, instead of failing half-way
// on the first one Deno refuses. Paths are queried as such, so a program
// may grant scoped flags (--allow-read=/run/runo,/srv/bundles).
//
// Permissions: none (Deno.permissions.querySync needs none).

/** One permission a call needs, optionally for one path. */
export type Needed =
  | { readonly name: "ffi" | "env" | "run" }
  | { readonly name: "read" | "write"; readonly path: string };

/** Throws Deno.errors.NotCapable naming the missing flags of `what`. */
export function requirePermissions(what: string, needed: readonly Needed[]): void {
  const missing = needed.filter((d) => Deno.permissions.querySync(d).state !== "granted");
  if (missing.length === 0) return;
  const flags = [...new Set(missing.map((d) => `--allow-${d.name}`))].join(" ");
  const paths = missing.flatMap((d) => "path" in d && d.path ? [`${d.name} ${d.path}`] : []);
  const detail = paths.length ? ` (${paths.join(", ")})` : "";
  throw new Deno.errors.NotCapable(
    `${what} needs ${flags}${detail}: run Deno with ${flags}; runo never needs --allow-all`,
  );
}
