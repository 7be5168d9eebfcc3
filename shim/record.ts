// What the server records in a task's bundle for `shim delete` (which may
// run after the server died): the state root, cgroup driver, the init's
// pid and where the rootfs was mounted. Removed when the server deletes
// the task, so a clean delete finds nothing to do.
//
// Permissions: --allow-read, --allow-write (the bundle).

export const RECORD_FILE = "runo-shim.json";

export interface TaskRecord {
  readonly root: string;
  readonly systemdCgroup: boolean;
  readonly pid: number;
  readonly rootfs: string;
}

export function writeRecord(bundle: string, record: TaskRecord): void {
  Deno.writeTextFileSync(`${bundle}/${RECORD_FILE}`, JSON.stringify(record));
}

export function readRecord(bundle: string): TaskRecord | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(`${bundle}/${RECORD_FILE}`));
  } catch {
    return undefined;
  }
}

export function removeRecord(bundle: string): void {
  try {
    Deno.removeSync(`${bundle}/${RECORD_FILE}`);
  } catch { /* gone already */ }
}
