// Rewrites the generated block of c/ids.h from lib/bootstrap/ids.ts
// (lib/bootstrap/c_ids.ts makes the text). Run as `deno task gen-ids`
// after changing ids.ts; tests/unit/ids_drift_test.ts checks it was run.
//
// Permissions: --allow-read=c/ids.h --allow-write=c/ids.h.

import { BEGIN, cIdsBlock, END } from "../lib/bootstrap/c_ids.ts";

const path = new URL("../c/ids.h", import.meta.url);
const text = Deno.readTextFileSync(path);
const from = text.indexOf(BEGIN), to = text.indexOf(END);
if (from < 0 || to < from) throw new Error("c/ids.h has no BEGIN/END GENERATED block");
Deno.writeTextFileSync(path, text.slice(0, from) + cIdsBlock() + text.slice(to + END.length));
