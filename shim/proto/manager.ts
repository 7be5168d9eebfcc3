// runo's own shim manager call: `start` claims a running server for a new
// task, so a server about to exit (its last task gone) stays for it.
//
// Permissions: none.

import { message, str, u32 } from "./schema.ts";

export const MANAGER_SERVICE = "runo.shim.v1.Manager";
export const ClaimRequest = message("runo.shim.v1.ClaimRequest", { id: str(1) });
export const ClaimResponse = message("runo.shim.v1.ClaimResponse", { pid: u32(1) });
