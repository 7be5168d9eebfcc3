// The container user's passwd entry, for HOME (runc's prepareEnv: HOME
// from /etc/passwd when process.env has none, "/" when the uid has no
// entry). The caller reads the file inside the rootfs.
//
// Permissions: none.

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
}

/** Parses passwd(5) text; malformed lines are skipped, as libc does. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length < 7 || line.startsWith("#")) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!/^\d+$/.test(f[2]) || !/^\d+$/.test(f[3])) continue;
    out.push({ name: f[0], uid, gid, home: f[5], shell: f[6] });
  }
  return out;
}

/** HOME for `uid`: its passwd home, or "/" (runc's default for unknown users). */
export function homeFor(passwd: string | null, uid: number): string {
  if (passwd === null) return "/";
  return parsePasswd(passwd).find((e) => e.uid === uid)?.home || "/";
}

/** True when process.env already sets HOME (then passwd is not read at all). */
export function envHasHome(env: readonly string[] | undefined): boolean {
  return (env ?? []).some((e) => e.startsWith("HOME="));
}
