// runo's version and the runtime spec version it implements, shared by
// `--version`, `features` and the state runo records.
//
// Permissions: none.

export const RUNO_VERSION = "0.1.0";
