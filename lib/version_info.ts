// `runo --version`: runc's layout ("runc version X", "commit: …",
// "spec: …", then one "name: version" line per component). The commit is
// the COMMIT file `make build` writes into the bundle (packaging/bundle.sh),
// found beside the code root or, for the sources of a built checkout, in
// build/bundle; "unknown" otherwise. Loaded only for --version.
//
// Permissions: --allow-read (COMMIT), --allow-ffi (libseccomp's version).

import { load } from "./lazy.ts";
import { codeRoot } from "../ffi/code_root.ts";
import { OCI_VERSION, RUNO_VERSION } from "./version.ts";

/** The commit the running code was built from, or "unknown". */
export function runoCommit(): string {
  for (const file of ["COMMIT", "build/bundle/COMMIT"]) {
    try {
      const text = Deno.readTextFileSync(new URL(file, codeRoot())).trim();
      if (text !== "") return text;
    } catch {
      // not built, or not readable: try the next place
    }
  }
  return "unknown";
}

/** The lines `runo --version` prints. */
export async function versionLines(): Promise<string[]> {
  const lines = [
    `runo version ${RUNO_VERSION}`,
    `commit: ${runoCommit()}`,
    `spec: ${OCI_VERSION}`,
    `deno: ${Deno.version.deno}`,
  ];
  // As runc: the libseccomp line only when the library loads (lazily).
  const { libseccompVersion } = await load<typeof import("./features/probe.ts")>(
    "lib/features/probe.ts",
  );
  const seccomp = await libseccompVersion();
  if (seccomp !== null) lines.push(`libseccomp: ${seccomp}`);
  return lines;
}
