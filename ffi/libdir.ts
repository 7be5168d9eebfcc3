// Where libnsexec.so and runo-init are found. In this order:
//   1. $RUNO_LIBDIR (the installed launcher sets it);
//   2. a `deno compile` binary: beside the executable, or in
//      <exe dir>/../lib/runo (the `make install` layout);
//   3. from sources: <tree>/build (a checkout), or <tree>/.. (the
//      installed $PREFIX/lib/runo/src layout, and a bundle: <tree> is then
//      build/bundle or $PREFIX/lib/runo/bundle);
//   4. a `deno compile` binary: the bytes embedded with --include, unpacked
//      into a root-only, content-addressed directory
//      <cache>/<sha256>/ and compared byte for byte with the embedded copy
//      before each use (Deno.dlopen needs a real file; a memfd would need
//      FFI before the FFI library is loaded).
// The first two steps are a pure decision (locateLibs) over a probe, so
// the order is tested without a compiled binary.
//
// Permissions: locateLibs none; the probe --allow-read and --allow-env
// (each optional: without it that step is skipped); unpackEmbedded
// --allow-read and --allow-write.

import { sha256Hex } from "./sha256.ts";
import { codeRoot } from "./code_root.ts";

export const LIB_FILES = ["libnsexec.so", "runo-init"] as const;
/** Written by `make compile` beside the embedded files: their sha256. */
export const MANIFEST = "embedded.sha256";
/** Not under /run/runo: every directory there is read as a container. */
export const DEFAULT_CACHE = "/run/runo-lib";

export interface LibProbe {
  /** The environment variable, or undefined (also when not permitted). */
  env(name: string): string | undefined;
  /** True in a `deno compile` binary (Deno.build.standalone). */
  readonly standalone: boolean;
  /** The compiled binary's path (only read when standalone). */
  readonly execPath: string;
  /** The source tree's root (the directory of cli.ts and mod.ts). */
  readonly treeDir: string;
  /** True when dir holds every file of LIB_FILES on the real filesystem. */
  hasLibs(dir: string): boolean;
}

export type LibLocation =
  | { readonly from: "env" | "executable" | "tree"; readonly dir: string }
  /** dir: where the embedded copies are read from (unpack before use). */
  | { readonly from: "embedded"; readonly dir: string };

/** Decides where the libraries come from; see the order above. */
export function locateLibs(probe: LibProbe): LibLocation {
  const fromEnv = probe.env("RUNO_LIBDIR");
  if (fromEnv) return { from: "env", dir: fromEnv };
  if (probe.standalone) {
    const exeDir = dirname(probe.execPath);
    for (const dir of [exeDir, `${dirname(exeDir)}/lib/runo`]) {
      if (probe.hasLibs(dir)) return { from: "executable", dir };
    }
    // In a compiled binary the tree is the embedded, virtual filesystem.
    return { from: "embedded", dir: `${probe.treeDir}/build` };
  }
  for (const dir of [`${probe.treeDir}/build`, dirname(probe.treeDir)]) {
    if (probe.hasLibs(dir)) return { from: "tree", dir };
  }
  // Nothing found: name the checkout's build/ so the error says where.
  return { from: "tree", dir: `${probe.treeDir}/build` };
}

/** The probe of the running process. */
export function processProbe(): LibProbe {
  const treeUrl = codeRoot();
  return {
    env: (name) => {
      try {
        return Deno.env.get(name);
      } catch {
        return undefined; // without --allow-env the default locations apply
      }
    },
    standalone: Deno.build.standalone,
    // Deno.execPath() needs --allow-read; from sources it is deno's path anyway.
    execPath: Deno.build.standalone ? Deno.execPath() : "",
    treeDir: decodeURIComponent(treeUrl.pathname).replace(/\/$/, ""),
    hasLibs: (dir) => LIB_FILES.every((f) => isFile(`${dir}/${f}`)),
  };
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false; // missing, or --allow-read not granted
  }
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/**
 * Copies the embedded libraries into <cache>/<sha256>/ unless an identical
 * copy is there, and returns that directory. The directory is created
 * under a temporary name and renamed into place, so a racing runo sees
 * either nothing or the complete set; an existing copy is used only when
 * it is the cache owner's (the cache is 0700; Deno.uid() would need
 * --allow-sys), writable by nobody else, and equal byte for byte to the
 * embedded one, else it is replaced.
 */
export function unpackEmbedded(embeddedDir: string, cache = DEFAULT_CACHE): string {
  const bytes = LIB_FILES.map((f) => Deno.readFileSync(`${embeddedDir}/${f}`));
  const dir = `${cache}/${digestOf(embeddedDir, bytes)}`;
  Deno.mkdirSync(cache, { recursive: true, mode: 0o700 });
  Deno.chmodSync(cache, 0o700); // fails unless the cache is ours
  const owner = Deno.statSync(cache).uid!;
  if (matches(dir, bytes, owner)) return dir;
  const tmp = Deno.makeTempDirSync({ dir: cache, prefix: ".unpack-" });
  try {
    LIB_FILES.forEach((f, i) => Deno.writeFileSync(`${tmp}/${f}`, bytes[i], { mode: 0o500 }));
    Deno.chmodSync(tmp, 0o500);
    try {
      Deno.renameSync(tmp, dir);
    } catch {
      // Taken by a racing runo, or a stale copy: keep it if it is good.
      if (matches(dir, bytes, owner)) return dir;
      Deno.removeSync(dir, { recursive: true });
      Deno.renameSync(tmp, dir);
    }
  } finally {
    try {
      Deno.removeSync(tmp, { recursive: true });
    } catch { /* renamed into place */ }
  }
  if (!matches(dir, bytes, owner)) throw new Error(`Cannot unpack runo's libraries into ${dir}`);
  return dir;
}

/** The manifest `make compile` embeds, else computed (~20–50 ms). */
function digestOf(embeddedDir: string, bytes: readonly Uint8Array[]): string {
  try {
    const text = new TextDecoder().decode(Deno.readFileSync(`${embeddedDir}/${MANIFEST}`)).trim();
    if (/^[0-9a-f]{64}$/.test(text)) return text;
  } catch { /* no manifest: simulated or hand-made embedding */ }
  return sha256Hex(...bytes);
}

function matches(dir: string, bytes: readonly Uint8Array[], owner: number): boolean {
  try {
    const st = Deno.lstatSync(dir);
    if (!st.isDirectory || (st.mode! & 0o022) !== 0 || st.uid !== owner) return false;
    return LIB_FILES.every((f, i) => {
      const fst = Deno.lstatSync(`${dir}/${f}`);
      if (!fst.isFile || (fst.mode! & 0o022) !== 0 || fst.uid !== owner) return false;
      return equal(Deno.readFileSync(`${dir}/${f}`), bytes[i]);
    });
  } catch {
    return false;
  }
}

/** Byte equality, 4 bytes a step where aligned (~20× faster on ~1 MB). */
function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const n = a.length >>> 2;
    const x = new Uint32Array(a.buffer, a.byteOffset, n);
    const y = new Uint32Array(b.buffer, b.byteOffset, n);
    for (; i < n; i++) if (x[i] !== y[i]) return false;
    i = n * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The directory the process should load the libraries from. */
export function resolveLibDir(probe: LibProbe = processProbe()): string {
  const where = locateLibs(probe);
  return where.from === "embedded" ? unpackEmbedded(where.dir) : where.dir;
}
