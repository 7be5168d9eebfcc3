// The shim server's log: one line per event worth knowing, appended to
// /run/runo-shim/<socket name>.log (containerd gives the server no
// stderr of its own; -debug adds the per-call lines).
//
// Permissions: --allow-write (/run/runo-shim).

export const LOG_DIR = "/run/runo-shim";

export function shimLog(socket: string, _debug: boolean): (msg: string) => void {
  const file = `${LOG_DIR}/${socket.replace(/.*\//, "")}.log`;
  try {
    Deno.mkdirSync(LOG_DIR, { recursive: true, mode: 0o700 });
  } catch { /* logging is best effort */ }
  return (msg) => {
    try {
      Deno.writeTextFileSync(file, `${new Date().toISOString()} pid=${Deno.pid} ${msg}\n`, {
        append: true,
      });
    } catch { /* logging is best effort */ }
  };
}
