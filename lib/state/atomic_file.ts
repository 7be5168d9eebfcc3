// Files runo writes whole, so that a reader sees the old text or the new,
// never a torn one: a fresh temp file beside the target, renamed into
// place (runc's atomic state and pid-file writes).
//
// Permissions: --allow-write (and --allow-read) on the file's directory.

import { withFileError } from "../file_error.ts";

/**
 * Writes `text` to `path` through `<path>.runo-tmp`, renamed into place.
 * Errors name `what` and the path (`Cannot write state file "…": …`).
 */
export function writeAtomic(what: string, path: string, text: string, mode?: number): void {
  const tmp = `${path}.runo-tmp`;
  withFileError(`write ${what}`, path, () => {
    // O_EXCL: a name planted here (a symlink to a host file) is removed,
    // never written through. Written first, removed only when there: a
    // failing Deno op throws, and the first throw costs ~0.25 ms cold.
    try {
      Deno.writeTextFileSync(tmp, text, { createNew: true, mode });
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      Deno.removeSync(tmp);
      Deno.writeTextFileSync(tmp, text, { createNew: true, mode });
    }
    Deno.renameSync(tmp, path);
  });
}
