// Where runo's code lives: the directory of cli.ts in the sources, of
// cli.js in the bundle `make build` writes to build/bundle (cli.js beside
// cmd/<command>.js and lib/log/sink.js, where a module's own
// import.meta.url is its bundle file's). ffi/libdir.ts finds build/ from
// it, lib/lazy.ts loads modules from it.
//
// Permissions: none.

/** True when running from build/bundle (this module is then inside a .js file). */
export const BUNDLED = import.meta.url.endsWith(".js");

/** The directory of cli.ts (sources) or cli.js (bundle), as a URL ending in "/". */
export function codeRoot(): URL {
  // The bundle's modules sit at any depth, but its entry is always cli.js
  // at its root. Library callers import sources, never the bundle.
  return BUNDLED ? new URL("./", Deno.mainModule) : new URL("../", import.meta.url);
}
