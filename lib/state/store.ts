// The on-disk store: <root>/<id>/{state.json, exec.fifo}. state.json is
// written atomically (temp file + rename); commands on one id hold an
// exclusive flock on its directory.
//
// Permissions: --allow-read, --allow-write (the root dir), --allow-ffi (flock).

import { checkId, type ContainerState, parseStateFile, StateError } from "./state.ts";
import { close, flock, LOCK_EX, O_DIRECTORY, O_RDONLY, open } from "../../ffi/syscalls.ts";

export const DEFAULT_ROOT = "/run/runo";

export function containerDir(root: string, id: string): string {
  return `${root}/${id}`;
}

export const fifoPath = (dir: string) => `${dir}/exec.fifo`;

/** Makes <root>/<id>; fails with runc's message when the id is taken. */
export function createContainerDir(root: string, id: string): string {
  checkId(id);
  Deno.mkdirSync(root, { recursive: true, mode: 0o711 });
  const dir = containerDir(root, id);
  try {
    Deno.mkdirSync(dir, { mode: 0o711 });
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) {
      throw new StateError(id, `container with id exists: ${id}`);
    }
    throw err;
  }
  return dir;
}

export function writeState(dir: string, state: ContainerState): void {
  const tmp = `${dir}/.state.json.tmp`;
  Deno.writeTextFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  Deno.renameSync(tmp, `${dir}/state.json`);
}

/** A --pid-file, written atomically as runc writes it: temp file + rename. */
export function writePidFile(path: string, pid: number): void {
  const tmp = `${path}.runo-tmp`;
  Deno.writeTextFileSync(tmp, String(pid));
  Deno.renameSync(tmp, path);
}

/** Reads a container's state; "container does not exist" when absent. */
export function readState(root: string, id: string): ContainerState {
  checkId(id);
  const file = `${containerDir(root, id)}/state.json`;
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new StateError(id, `container does not exist: ${id}`);
    }
    throw err;
  }
  return parseStateFile(text, file);
}

export function removeContainerDir(root: string, id: string): void {
  try {
    Deno.removeSync(containerDir(root, id), { recursive: true });
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}

/** The ids with a directory under root (state may be missing or corrupt). */
export function listIds(root: string): string[] {
  const ids: string[] = [];
  try {
    for (const e of Deno.readDirSync(root)) if (e.isDirectory) ids.push(e.name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  return ids.sort();
}

export function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Holds an exclusive lock on a container directory until disposed. */
export function lockDir(dir: string): Disposable {
  const fd = open(dir, O_RDONLY | O_DIRECTORY);
  flock(fd, LOCK_EX, dir);
  return { [Symbol.dispose]: () => close(fd) };
}
