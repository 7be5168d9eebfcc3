// The on-disk store: <root>/<id>/{state.json, exec.fifo}. state.json is
// written atomically (temp file + rename); commands on one id hold an
// exclusive flock on its directory. runo makes every entry under --root
// itself, so an entry that is a symlink is refused: state is read through
// no symlink (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS), the lock opens
// the directory O_NOFOLLOW, and temp files are created O_EXCL, never
// through whatever a planted name points at.
//
// Permissions: --allow-read, --allow-write (the root dir), --allow-ffi (flock, reads).

import { checkId, type ContainerState, parseStateFile, StateError } from "./state.ts";
import {
  close,
  flock,
  LOCK_EX,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_RDONLY,
  openOrErrno,
} from "../../ffi/syscalls.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { ELOOP, ENOENT, ENOTDIR } from "../../ffi/errno.ts";
import { FileError, withFileError } from "../file_error.ts";
import { writeAtomic } from "./atomic_file.ts";
import { readBoundedFileIfExists } from "../bounded_file.ts";

export const DEFAULT_ROOT = "/run/runo";

/** state.json holds the config: the config's cap, and room for the rest. */
const STATE_MAX = 17 << 20;

export function containerDir(root: string, id: string): string {
  return `${root}/${id}`;
}

export const fifoPath = (dir: string) => `${dir}/exec.fifo`;

/** Makes <root>/<id>; fails with runc's message when the id is taken. */
export function createContainerDir(root: string, id: string): string {
  checkId(id);
  makeRoot(root);
  const dir = containerDir(root, id);
  try {
    Deno.mkdirSync(dir, { mode: 0o711 });
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) {
      throw new StateError(id, `container with id exists: ${id}`, "ALREADY_EXISTS");
    }
    throw new FileError("create state directory", dir, err);
  }
  return dir;
}

/** --root, made if missing (mkdir -p). */
function makeRoot(root: string): void {
  try {
    Deno.mkdirSync(root, { recursive: true, mode: 0o711 });
  } catch (err) {
    // mkdir -p over a file says EEXIST; the problem is that it is no directory.
    const cause = err instanceof Deno.errors.AlreadyExists ? { code: "ENOTDIR" } : err;
    throw new FileError("create --root", root, cause);
  }
}

export function writeState(dir: string, state: ContainerState): void {
  writeAtomic("state file", `${dir}/state.json`, JSON.stringify(state), 0o600);
}

/** A --pid-file, written atomically as runc writes it: temp file + rename. */
export function writePidFile(path: string, pid: number): void {
  writeAtomic("--pid-file", path, String(pid));
}

/** Reads a container's state; "container does not exist" when absent. */
export function readState(root: string, id: string): ContainerState {
  checkId(id);
  const file = `${containerDir(root, id)}/state.json`;
  let text: string | null;
  try {
    text = readBoundedFileIfExists(`${id}/state.json`, {
      root,
      resolve: "beneath",
      max: STATE_MAX,
    }, { action: "read state file", path: file });
  } catch (err) {
    if (err instanceof FileError && err.code === "ELOOP") throw symlinkRefused(id, root);
    throw err;
  }
  if (text === null) throw new StateError(id, `container does not exist: ${id}`, "NOT_FOUND");
  return parseStateFile(text, file);
}

function symlinkRefused(id: string, root: string): StateError {
  return new StateError(
    id,
    `refusing container ${id}: "${containerDir(root, id)}" or its state.json is a symlink, ` +
      "which runo never makes under --root",
  );
}

export function removeContainerDir(root: string, id: string): void {
  const dir = containerDir(root, id);
  withFileError("remove state directory", dir, () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  });
}

/**
 * The ids with a directory under root (state may be missing or corrupt),
 * and the symlinks, so that list reports them (readState refuses them).
 */
export function listIds(root: string): string[] {
  const ids: string[] = [];
  try {
    for (const e of Deno.readDirSync(root)) if (e.isDirectory || e.isSymlink) ids.push(e.name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw new FileError("list --root", root, err);
  }
  return ids.sort();
}

function isSymlink(path: string): boolean {
  try {
    return Deno.lstatSync(path).isSymlink;
  } catch {
    return false;
  }
}

/** Holds an exclusive lock on a container directory until disposed. */
export function lockDir(dir: string): Disposable {
  const lock = lockDirIfExists(dir);
  if (!lock) throw new SyscallError("open", ENOENT, { path: dir });
  return lock;
}

/**
 * lockDir, or null when the directory does not exist (delete --force of a
 * container that is gone, which engines call: no error made and caught).
 */
export function lockDirIfExists(dir: string): Disposable | null {
  const fd = openOrErrno(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if (fd === -ENOENT) return null;
  if (fd < 0) {
    // O_NOFOLLOW|O_DIRECTORY on a symlink: ELOOP, or ENOTDIR first.
    if (fd === -ELOOP || fd === -ENOTDIR) {
      const slash = dir.lastIndexOf("/");
      if (isSymlink(dir)) throw symlinkRefused(dir.slice(slash + 1), dir.slice(0, slash));
    }
    throw new SyscallError("open", -fd, { path: dir });
  }
  flock(fd, LOCK_EX, dir);
  return { [Symbol.dispose]: () => close(fd) };
}
