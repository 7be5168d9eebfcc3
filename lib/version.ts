// runo's version and the runtime spec version it implements: the one
// constant `--version`, `features` (ociVersionMax), the state runo records
// (state.json, `runo state`, the hooks' and the seccomp agent's state) all
// report.
//
// Permissions: none.

export const RUNO_VERSION = "0.1.0";

/** The runtime spec version runo follows. */
export const OCI_VERSION = "1.3.0";
