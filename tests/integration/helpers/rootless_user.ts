// Test helper: an unprivileged user (runotest, with /etc/subuid and
// /etc/subgid ranges, created when missing) that runs build/runo through
// setpriv, with its own XDG_RUNTIME_DIR and an offline copy of root's Deno
// cache (the user cannot read /root/.cache, and the machine has no
// network for Deno to fetch into a fresh one).
//
// Permissions: read, write, run, env. Needs root.

import { type Bundle, type Config, createBundle } from "../../fixtures/bundle.ts";
import { host, runoBin, type RunoOptions, type RunResult } from "../../fixtures/runo.ts";

export const USER = "runotest";

export interface RootlessUser extends AsyncDisposable {
  readonly uid: number;
  readonly gid: number;
  /** Its XDG_RUNTIME_DIR (0700, its own). */
  readonly xdg: string;
  /**
   * `runo ARGS...` as the user, without --root; with `cgroups`, first
   * moved (as root) into those cgroup directories, as a session in a
   * delegated subtree is.
   */
  runo(
    args: string[],
    opts?: RunoOptions & { cgroups?: string[]; pty?: boolean },
  ): Promise<RunResult>;
  /**
   * A busybox bundle owned by the user, its config.json from `runo spec
   * --rootless`; with `opts`, rewritten with terminal false (the tests have
   * none), the given args, and `config` applied.
   */
  bundle(opts?: { args?: string[]; config?: (c: Config) => void }): Promise<Bundle>;
}

async function run(cmd: string, ...args: string[]): Promise<string> {
  const r = await host(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** `s` as one shell word inside double quotes of script -c. */
function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

async function ensureUser(): Promise<void> {
  if ((await host("id", ["-u", USER])).code !== 0) await run("useradd", "-m", USER);
  for (const file of ["/etc/subuid", "/etc/subgid"]) {
    const text = await Deno.readTextFile(file).catch(() => "");
    if (!text.split("\n").some((l) => l.startsWith(`${USER}:`))) {
      await Deno.writeTextFile(file, `${USER}:100000:65536\n`, { append: true });
    }
  }
}

/**
 * Copies root's Deno cache; a file Deno removes meanwhile (an SQLite -wal
 * or -shm of another deno process) is skipped, where `cp -a` failed.
 */
async function copyCache(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const [src, dst] = [`${from}/${e.name}`, `${to}/${e.name}`];
    try {
      if (e.isDirectory) await copyCache(src, dst);
      else if (e.isFile) await Deno.copyFile(src, dst);
      else if (e.isSymlink) await Deno.symlink(await Deno.readLink(src), dst);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
}

/** Sets up the user; dispose removes its runtime dir and cache copy. */
export async function rootlessUser(): Promise<RootlessUser> {
  await ensureUser();
  const uid = Number(await run("id", "-u", USER));
  const gid = Number(await run("id", "-g", USER));
  const denoDir = JSON.parse(await run("deno", "info", "--json")).denoDir as string;
  const base = await Deno.makeTempDir({ prefix: "runo-rootless-" });
  await Deno.chmod(base, 0o755);
  const xdg = `${base}/xdg`;
  const cache = `${base}/deno`;
  await Deno.mkdir(xdg, { mode: 0o700 });
  await copyCache(denoDir, cache);
  await run("chown", "-R", `${uid}:${gid}`, xdg, cache);
  const env = { HOME: `/home/${USER}`, XDG_RUNTIME_DIR: xdg, DENO_DIR: cache };
  const bundles: Bundle[] = [];
  const user: RootlessUser = {
    uid,
    gid,
    xdg,
    runo: (args, opts = {}) => {
      const argv = [
        "setpriv",
        "--reuid",
        String(uid),
        "--regid",
        String(gid),
        "--init-groups",
        "env",
        ...Object.entries({ ...env, ...opts.env }).map(([k, v]) => `${k}=${v}`),
        runoBin(),
        ...args,
      ];
      const join = (opts.cgroups ?? []).map((d) => `echo $$ >${d}/cgroup.procs || exit 99;`);
      // With pty: script(1) runs it on a terminal of its own.
      const run = opts.pty
        ? `exec script -qec "${argv.map(quote).join(" ")}" /dev/null`
        : 'exec "$@"';
      return host("/bin/sh", ["-c", `${join.join(" ")} ${run}`, "sh", ...argv], {
        ...opts,
        env: undefined,
      });
    },
    async bundle(opts) {
      const b = await createBundle();
      bundles.push(b);
      await Deno.remove(`${b.dir}/config.json`);
      await run("chown", "-R", `${uid}:${gid}`, b.dir);
      const r = await user.runo(["spec", "--rootless"], { cwd: b.dir });
      if (r.code !== 0) throw new Error(`spec --rootless: ${r.stderr}`);
      b.config = JSON.parse(await Deno.readTextFile(`${b.dir}/config.json`));
      if (opts) {
        b.config.process!.terminal = false;
        if (opts.args) b.config.process!.args = opts.args;
        opts.config?.(b.config);
        await b.write();
      }
      return b;
    },
    async [Symbol.asyncDispose]() {
      for (const b of bundles) await b.cleanup();
      await Deno.remove(base, { recursive: true }).catch(() => {});
    },
  };
  return user;
}
