// Mount-destination attacks and the walls inside the container: symlinks
// in the rootfs pointing at /proc files or host paths, a destination
// swapped for a symlink while create runs (CVE-2021-30465's race, as near
// as a test can get), masked and read-only /proc paths a container tries
// to undo, and /dev holding only the allowed devices. Each test reads back
// the host's side (core_pattern, a host directory, host mountinfo) as well
// as the container's.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Bundle, type Config, createBundle } from "../fixtures/bundle.ts";
import { runContainer } from "../fixtures/container.ts";
import { host, isRunc, requires, sandbox, uniqueId } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

async function hostMountinfo(): Promise<string> {
  return (await host("cat", ["/proc/self/mountinfo"])).stdout;
}

async function corePattern(): Promise<string> {
  return (await host("cat", ["/proc/sys/kernel/core_pattern"])).stdout;
}

/** A run whose bundle is edited on disk first (symlinks in the rootfs). */
async function runIn(
  args: string[],
  prepare: (b: Bundle) => Promise<void>,
  config?: (c: Config) => void,
) {
  await using sb = await sandbox();
  await using b = await createBundle({ args, config });
  await prepare(b);
  const id = sb.track(uniqueId());
  const r = await sb.runo(["run", "-b", b.dir, id], { timeoutMs: 20_000 });
  return r;
}

for (const link of ["/proc/sys/kernel/core_pattern", "../../../proc/sys/kernel/core_pattern"]) {
  Deno.test({
    name: `a mount onto a symlink to ${link} does not reach the host's core_pattern`,
    ...needs,
    async fn() {
      const before = await corePattern();
      const r = await runIn(
        ["sh", "-c", "echo '|/pwn %p' >/evil; cat /proc/sys/kernel/core_pattern"],
        async (b) => {
          await Deno.writeTextFile(`${b.dir}/payload`, "|/pwn %p\n");
          await Deno.symlink(link, `${b.rootfs}/evil`);
        },
        (c) => {
          c.mounts!.push({
            destination: "/evil",
            type: "bind",
            source: "payload",
            options: ["bind", "rw"],
          });
        },
      );
      assert.equal(await corePattern(), before, "the host's core_pattern changed");
      // As runc's checkProcMount on the resolved path: refused, one line
      // naming the destination, whether /proc was reached directly or by ../
      assert.notEqual(r.code, 0, `mounted through the symlink: ${r.stdout}`);
      // runc: '... to rootfs at "/evil": "<rootfs>/proc/sys/kernel/core_pattern"
      // cannot be mounted because it is inside /proc', one line too.
      const words = isRunc()
        ? /^[^\n]*"\/evil\\?": [^\n]*core_pattern\\?" cannot be mounted because it is inside \/proc[^\n]*$/
        : /^[^\n]*"\/evil": it resolves inside \/proc[^\n]*$/;
      assert.match(r.stderr.trim(), words, r.stderr);
      console.log(`${link}: ${r.code === 0 ? "mounted inside the rootfs" : r.stderr.trim()}`);
    },
  });
}

for (const dangling of [false, true]) {
  Deno.test({
    name: `a bind mount onto an absolute symlink to a host path (${
      dangling ? "dangling" : "existing"
    } in the rootfs) stays inside the rootfs`,
    ...needs,
    async fn() {
      const hostDir = await Deno.makeTempDir({ prefix: "runo-hostdir-" });
      try {
        await Deno.writeTextFile(`${hostDir}/HOSTMARK`, "");
        const mountsBefore = await hostMountinfo();
        const r = await runIn(
          ["sh", "-c", `ls /lnk; echo ---; ls ${hostDir}`],
          async (b) => {
            await Deno.mkdir(`${b.dir}/src`);
            await Deno.writeTextFile(`${b.dir}/src/SRCMARK`, "");
            await Deno.symlink(hostDir, `${b.rootfs}/lnk`);
            if (!dangling) await Deno.mkdir(`${b.rootfs}${hostDir}`, { recursive: true });
          },
          (c) =>
            void c.mounts!.push({
              destination: "/lnk",
              type: "bind",
              source: "src",
              options: ["rbind"],
            }),
        );
        if (dangling && r.code !== 0) {
          // runo refuses a dangling symlink destination: one line naming it.
          assert.match(r.stderr.trim(), /^[^\n]*"\/lnk"[^\n]*$/, r.stderr);
        } else {
          assert.equal(r.code, 0, r.stderr);
          const [viaLink, viaPath] = r.stdout.split("---\n");
          assert.match(viaLink, /SRCMARK/, r.stdout);
          assert.match(viaPath, /SRCMARK/, "the symlink resolved to <rootfs>" + hostDir);
          assert.doesNotMatch(r.stdout, /HOSTMARK/);
        }
        const left = [...Deno.readDirSync(hostDir)].map((e) => e.name);
        assert.deepEqual(left, ["HOSTMARK"], "the host directory changed");
        assert.equal((await hostMountinfo()).includes(hostDir), false, "a host mount appeared");
        assert.equal(mountsBefore.includes(hostDir), false);
      } finally {
        await Deno.remove(hostDir, { recursive: true });
      }
    },
  });
}

Deno.test({
  name:
    "a bind destination swapped for a symlink to a host path during create never mounts on the host",
  ...needs,
  async fn() {
    const hostDir = await Deno.makeTempDir({ prefix: "runo-race-" });
    await using sb = await sandbox();
    await using b = await createBundle({
      args: ["sh", "-c", `ls /race ${hostDir} 2>/dev/null | grep -c SRCMARK`],
      config: (c) =>
        void c.mounts!.push({
          destination: "/race",
          type: "bind",
          source: "src",
          options: ["rbind"],
        }),
    });
    await Deno.mkdir(`${b.dir}/src`);
    await Deno.writeTextFile(`${b.dir}/src/SRCMARK`, "");
    await Deno.writeTextFile(`${hostDir}/HOSTMARK`, "");
    // A host flipper swaps <rootfs>/race between a directory and symlinks
    // (absolute and climbing) to the host dir as fast as it can.
    const flip = new Deno.Command("/bin/sh", {
      args: [
        "-c",
        `cd ${b.rootfs}; while :; do rm -rf race; mkdir race; rm -rf race; ln -s ${hostDir} race; rm -f race; mkdir race; rmdir race; ln -s ../../../../../../..${hostDir} race; rm -f race; done`,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const outcomes = new Map<string, number>();
    try {
      for (let i = 0; i < 15; i++) {
        const id = sb.track(uniqueId());
        const r = await sb.runo(["run", "-b", b.dir, id], { timeoutMs: 20_000 });
        const key = r.code === 0 ? `ran, marks seen: ${r.stdout.trim()}` : "refused";
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (r.code !== 0) assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
        const left = [...Deno.readDirSync(hostDir)].map((e) => e.name);
        assert.deepEqual(left, ["HOSTMARK"], `run ${i}: the host directory changed`);
        assert.equal((await hostMountinfo()).includes(hostDir), false, `run ${i}: host mount`);
      }
    } finally {
      flip.kill("SIGKILL");
      await flip.status;
      await Deno.remove(hostDir, { recursive: true });
    }
    console.log("race outcomes:", Object.fromEntries(outcomes));
  },
});

Deno.test({
  name:
    "masked and read-only /proc paths hold against umount, remount and writes without CAP_SYS_ADMIN",
  ...needs,
  async fn() {
    const tries = [
      "umount /proc/keys",
      "umount -l /proc/timer_list",
      "umount /proc/acpi",
      "umount /proc/sys",
      "mount -o remount,rw /proc/sys",
      "mount -t proc proc /mnt",
      "mount -t tmpfs t /proc/sys",
      ": >/proc/sysrq-trigger",
      "echo 1 >/proc/sys/vm/drop_caches",
      "echo 1 >/proc/sys/kernel/sysrq",
    ];
    const script = tries.map((t) =>
      `if (${t}) 2>/dev/null; then echo "WORKED ${t}"; else echo "REFUSED ${t}"; fi`
    ).join("; ") +
      "; wc -c </proc/keys; ls /sys/firmware | wc -l; grep -c ' /proc/keys ' /proc/self/mountinfo";
    const r = await runContainer(["sh", "-c", script], {
      config: (c) =>
        void (c.root!.readonly = false),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /WORKED/, r.stdout);
    assert.equal(r.stdout.match(/REFUSED/g)?.length, tries.length, r.stdout);
    const tail = r.stdout.trim().split("\n").slice(-3).map((s) => s.trim());
    assert.deepEqual(tail, ["0", "0", "1"], "keys empty, /sys/firmware empty, keys still masked");
  },
});

/** runc's default devices: the only device nodes a container's /dev has. */
const ALLOWED = ["full", "null", "ptmx", "random", "tty", "urandom", "zero"];

Deno.test({
  name:
    "/dev holds only the allowed devices, and a mknod'd disk cannot be opened even with CAP_MKNOD",
  ...needs,
  async fn() {
    const r = await runContainer([
      "sh",
      "-c",
      "find /dev \\( -type c -o -type b \\) | sort; echo ---; mknod /dev/xsda b 8 0 && echo MKNOD; head -c 1 /dev/xsda >/dev/null 2>&1 && echo READ; mknod /dev/xmem c 1 1 && head -c 1 /dev/xmem >/dev/null 2>&1 && echo MEM; rm -f /dev/xsda /dev/xmem",
    ], {
      config: (c) => {
        for (const set of ["bounding", "effective", "permitted"] as const) {
          c.process!.capabilities![set]!.push("CAP_MKNOD");
        }
      },
    });
    assert.equal(r.code, 0, r.stderr);
    const [devs, rest] = r.stdout.split("---\n");
    const names = devs.trim().split("\n").map((p) => p.replace(/^\/dev\//, ""));
    for (const n of names) {
      assert.ok(
        ALLOWED.includes(n) || n.startsWith("pts/") || n === "pts/ptmx",
        `unexpected /dev/${n}`,
      );
    }
    for (const n of ["null", "zero", "urandom"]) assert.ok(names.includes(n), `no /dev/${n}`);
    assert.match(rest, /MKNOD/, "CAP_MKNOD lets the node be made (runc allows mknod)");
    assert.doesNotMatch(rest, /READ|MEM/, "the device cgroup let a disk or /dev/mem be read");
  },
});
