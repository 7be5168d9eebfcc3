// Packaging: `make install`/`uninstall` into a temporary PREFIX or DESTDIR,
// a container run by the installed launcher alone (minimal environment,
// cached modules only), `make compile`'s embedding, and the compiled
// binary's fallback of unpacking its embedded libraries (simulated: this
// machine has no denort to build a working binary).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { exists, host, REPO_ROOT, requires, runoBin, sandbox, uniqueId } from "../fixtures/runo.ts";
import { LIB_FILES, MANIFEST, unpackEmbedded } from "../../ffi/libdir.ts";
import { sha256Hex } from "../../ffi/sha256.ts";

const needs = requires("root", "busybox");
const PERMS = ["--allow-ffi", "--allow-read", "--allow-write", "--allow-env", "--allow-run"];

async function make(...args: string[]) {
  // -o: use the built C part as it is; other work may be rebuilding it.
  const keep = ["-o", "build/libnsexec.so", "-o", "build/runo-init"];
  const r = await host("make", ["--no-print-directory", "-C", REPO_ROOT, ...keep, ...args], {
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new Error(`make ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r;
}

function onPath(cmd: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`], stdout: "null" })
      .outputSync()
      .success;
  } catch {
    return false;
  }
}

async function tempDir(prefix: string) {
  const dir = await Deno.makeTempDir({ prefix });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/**
 * The strings compiled into the launcher (packaging/launcher.c): its
 * configuration's C literals, each stored NUL-terminated in the binary.
 */
async function launcherStrings(path: string): Promise<string[]> {
  const bytes = await Deno.readFile(path);
  const text = new TextDecoder("latin1").decode(bytes);
  return text.split("\0").filter((s) => /^[\x20-\x7e]+$/.test(s));
}

Deno.test({
  name:
    "make install PREFIX=… gives a launcher that runs a container offline in a bare environment",
  ...needs,
  async fn() {
    await using tmp = await tempDir("runo-prefix-");
    const prefix = `${tmp.dir}/usr`;
    await make("install", `PREFIX=${prefix}`);
    const launcher = await launcherStrings(`${prefix}/bin/runo`);
    for (const flag of [...PERMS, "--cached-only", "--no-prompt"]) {
      assert.ok(launcher.includes(flag), flag);
    }
    assert.ok(!launcher.includes("-A") && !launcher.includes("--allow-all"));
    assert.ok(
      !launcher.some((s) => s.includes(REPO_ROOT)),
      "the launcher points into the checkout",
    );
    // The environment it sets (packaging/launcher_config.sh), names and values.
    for (
      const s of ["RUNO_LIBDIR", `${prefix}/lib/runo`, "DENO_DIR", `${prefix}/lib/runo/deno-dir`]
    ) {
      assert.ok(launcher.includes(s), `${s} not in ${launcher.join(" ")}`);
    }
    for (const f of LIB_FILES) assert.ok(await exists(`${prefix}/lib/runo/${f}`), f);
    assert.ok(await exists(`${prefix}/lib/runo/src/lib/container/create.ts`));
    // The launcher runs the bundle (packaging/bundle.sh), installed whole.
    assert.ok(launcher.includes(`${prefix}/lib/runo/bundle/cli.js`), launcher.join(" "));
    assert.ok(await exists(`${prefix}/lib/runo/bundle/cmd/run.js`));
    assert.equal(await exists(`${prefix}/lib/runo/src/lib/commands/args_test.ts`), false);
    // Cached under the registry the machine is set up with (npm's config):
    // one directory per registry host, named by none of runo's files.
    const registries = [...Deno.readDirSync(`${prefix}/lib/runo/deno-dir/npm`)].map((e) => e.name);
    const cached = (r: string) => {
      try {
        return Deno.statSync(`${prefix}/lib/runo/deno-dir/npm/${r}/@logtape/logtape`).isDirectory;
      } catch {
        return false;
      }
    };
    assert.ok(
      registries.some(cached),
      `no @logtape/logtape under deno-dir/npm/{${registries}}`,
    );

    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sh", "-c", "echo $$ $(hostname)"] });
    const log = `${tmp.dir}/runo.log`;
    // As an engine starts it: no HOME, a minimal PATH, cwd "/"; --debug
    // --log loads LogTape, which must come from the installed cache (an
    // unreachable proxy proves nothing is downloaded).
    const r = await host("env", [
      "-i",
      "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
      "HTTPS_PROXY=http://127.0.0.1:9/",
      "HTTP_PROXY=http://127.0.0.1:9/",
      "NPM_CONFIG_REGISTRY=http://127.0.0.1:9/",
      `${prefix}/bin/runo`,
      "--root",
      sb.root,
      "--debug",
      "--log",
      log,
      "run",
      "-b",
      bundle.dir,
      sb.track(uniqueId()),
    ], { cwd: "/" });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "1 runc\n");
    assert.equal(r.code, 0);
    assert.match(await Deno.readTextFile(log), /\S/, "the debug log was written through LogTape");

    const v = await host(`${prefix}/bin/runo`, ["--version"]);
    assert.match(v.stdout, /^runo version \d+\.\d+\.\d+\n/);

    await make("uninstall", `PREFIX=${prefix}`);
    assert.equal(await exists(`${prefix}/bin/runo`), false);
    assert.equal(await exists(`${prefix}/lib/runo`), false);
    // install made PREFIX and everything under it: uninstall removes them;
    // the directory PREFIX was made in stays.
    assert.equal(await exists(prefix), false, "the directories install made are gone");
    assert.ok(await exists(tmp.dir));
  },
});

Deno.test({
  name: "make uninstall leaves directories install did not make, and what others put there",
  ...needs,
  async fn() {
    await using tmp = await tempDir("runo-prefix-");
    const prefix = `${tmp.dir}/usr`;
    await Deno.mkdir(`${prefix}/bin`, { recursive: true });
    await Deno.writeTextFile(`${prefix}/bin/other-tool`, "#!/bin/sh\n");
    await make("install", `PREFIX=${prefix}`);
    await Deno.mkdir(`${prefix}/lib/other`);
    await make("uninstall", `PREFIX=${prefix}`);
    assert.equal(await exists(`${prefix}/lib/runo`), false);
    assert.ok(await exists(`${prefix}/bin/other-tool`), "a file of another package stays");
    assert.ok(await exists(`${prefix}/lib/other`), "lib/ stays: something else lives in it");
    // Positive control: with lib/other gone, the next uninstall of a fresh
    // install removes lib/ too, which that install made.
    await Deno.remove(`${prefix}/lib`, { recursive: true });
    await make("install", `PREFIX=${prefix}`);
    await make("uninstall", `PREFIX=${prefix}`);
    assert.equal(await exists(`${prefix}/lib`), false);
    assert.ok(await exists(`${prefix}/bin`), "bin/ was there before the install");
  },
});

Deno.test({
  name: "podman --runtime <installed launcher> runs a container with runo",
  ignore: needs.ignore || !onPath("podman"),
  async fn() {
    await using tmp = await tempDir("runo-podman-");
    const prefix = `${tmp.dir}/usr`;
    await make("install", `PREFIX=${prefix}`);
    await using bundle = await createBundle({ args: ["true"] });
    const image = `localhost/runo-install-test:${uniqueId()}`;
    const imported = await host("sh", [
      "-c",
      `tar -C "$0" -c . | podman import - "$1"`,
      bundle.rootfs,
      image,
    ]);
    assert.equal(imported.code, 0, imported.stderr);
    // A wrapper records how podman (through conmon) calls the launcher.
    const calls = `${tmp.dir}/calls`;
    const wrapper = `${tmp.dir}/runo-wrapper`;
    await Deno.writeTextFile(
      wrapper,
      `#!/bin/sh\necho "$*" >>'${calls}'\nexec '${prefix}/bin/runo' "$@"\n`,
      { mode: 0o755 },
    );
    try {
      // podman's default RLIMIT_NOFILE/NPROC exceed this sandbox's hard
      // limits (no CAP_SYS_RESOURCE; runc fails the same way).
      const r = await host("podman", [
        "--runtime",
        wrapper,
        "run",
        "--rm",
        "--ulimit",
        "nofile=1024:1024",
        "--ulimit",
        "nproc=1024:1024",
        "--hostname",
        "podhost",
        image,
        "sh",
        "-c",
        "echo $(hostname) $$",
      ], { timeoutMs: 60_000 });
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, "podhost 1\n");
      const log = await Deno.readTextFile(calls);
      for (const cmd of ["create", "start", "delete"]) {
        assert.match(
          log,
          new RegExp(`(^| )${cmd} `, "m"),
          `podman never ran "runo ${cmd}":\n${log}`,
        );
      }
    } finally {
      await host("podman", ["rmi", "-f", image]);
    }
  },
});

Deno.test({
  name: "make install DESTDIR=… stages under DESTDIR a launcher that names PREFIX paths",
  ...needs,
  async fn() {
    await using tmp = await tempDir("runo-destdir-");
    await make("install", `DESTDIR=${tmp.dir}`, "PREFIX=/opt/runo-test");
    const launcher = await launcherStrings(`${tmp.dir}/opt/runo-test/bin/runo`);
    assert.ok(launcher.includes("/opt/runo-test/lib/runo/bundle/cli.js"), launcher.join(" "));
    assert.ok(!launcher.some((s) => s.includes(tmp.dir)), "DESTDIR leaks into the launcher");
    assert.ok(await exists(`${tmp.dir}/opt/runo-test/lib/runo/runo-init`));
    assert.equal(await exists("/opt/runo-test"), false);
    await make("uninstall", `DESTDIR=${tmp.dir}`, "PREFIX=/opt/runo-test");
    assert.equal(await exists(`${tmp.dir}/opt/runo-test/bin/runo`), false);
    assert.equal(await exists(`${tmp.dir}/opt/runo-test/lib/runo`), false);
  },
});

Deno.test({
  name: "make compile honours DENORT_BIN and embeds libnsexec.so, runo-init and their sha256",
  ...needs,
  async fn() {
    await using tmp = await tempDir("runo-compile-");
    const env = { DENORT_BIN: `${tmp.dir}/no-denort`, OUT: `${tmp.dir}/runo` };
    const missing = await host("sh", [`${REPO_ROOT}/packaging/compile.sh`], {
      cwd: REPO_ROOT,
      env,
    });
    assert.notEqual(missing.code, 0);
    assert.ok(missing.stderr.includes(`${tmp.dir}/no-denort`), missing.stderr);
    const libs = LIB_FILES.map((f) => Deno.readFileSync(`${REPO_ROOT}/build/${f}`));
    assert.equal(
      Deno.readTextFileSync(`${REPO_ROOT}/build/${MANIFEST}`).trim(),
      sha256Hex(...libs),
    );
    // deno itself stands in for denort: the binary does not run as runo,
    // but deno compile lists what it embedded.
    const r = await host("sh", [`${REPO_ROOT}/packaging/compile.sh`], {
      cwd: REPO_ROOT,
      env: { ...env, DENORT_BIN: Deno.execPath(), NO_COLOR: "1" },
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const listing = r.stdout + r.stderr;
    for (const f of [...LIB_FILES, MANIFEST, "@logtape/logtape"]) assert.ok(listing.includes(f), f);
  },
});

Deno.test({
  name:
    "unpackEmbedded() writes a root-only content-addressed copy, reuses it, and replaces a tampered one",
  ...needs,
  async fn() {
    await using tmp = await tempDir("runo-unpack-");
    const embedded = `${REPO_ROOT}/build`;
    const cache = `${tmp.dir}/lib`;
    const libs = LIB_FILES.map((f) => Deno.readFileSync(`${embedded}/${f}`));
    const dir = unpackEmbedded(embedded, cache);
    assert.equal(dir, `${cache}/${sha256Hex(...libs)}`);
    assert.equal(Deno.statSync(cache).mode! & 0o777, 0o700);
    LIB_FILES.forEach((f, i) => {
      assert.deepEqual(Deno.readFileSync(`${dir}/${f}`), libs[i]);
      assert.equal(Deno.statSync(`${dir}/${f}`).mode! & 0o777, 0o500);
    });
    const inode = Deno.statSync(`${dir}/runo-init`).ino;
    assert.equal(unpackEmbedded(embedded, cache), dir);
    assert.equal(Deno.statSync(`${dir}/runo-init`).ino, inode, "a good copy is reused");

    Deno.chmodSync(`${dir}/runo-init`, 0o700);
    Deno.writeFileSync(`${dir}/runo-init`, new TextEncoder().encode("#!/bin/sh\necho pwned\n"));
    assert.equal(unpackEmbedded(embedded, cache), dir);
    assert.deepEqual(Deno.readFileSync(`${dir}/runo-init`), libs[1], "a tampered copy is replaced");
    assert.deepEqual([...Deno.readDirSync(cache)].map((e) => e.name), [dir.split("/").pop()]);
  },
});

Deno.test({
  name: "a container runs from libraries unpacked as a compiled binary unpacks them",
  ...needs,
  async fn() {
    await using tmp = await tempDir("runo-unpacked-");
    const dir = unpackEmbedded(`${REPO_ROOT}/build`, `${tmp.dir}/lib`);
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["sh", "-c", "echo $$ $(hostname)"] });
    const r = await host(runoBin(), ["--root", sb.root, "run", "-b", bundle.dir, uniqueId()], {
      env: { RUNO_LIBDIR: dir },
    });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "1 runc\n");
  },
});
