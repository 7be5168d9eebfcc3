// The container's filesystem, read from inside: the mount table of the
// default config, default devices and /dev symlinks, masked and readonly
// paths, bind and tmpfs mounts from the config.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { shIn } from "../fixtures/container.ts";
import { requires } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

interface MountInfo {
  root: string;
  mountPoint: string;
  options: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

/** proc(5) mountinfo: id parent maj:min root mountpoint opts [tags] - type source superopts */
function parseMountinfo(text: string): MountInfo[] {
  return text.trim().split("\n").map((line) => {
    const [left, right] = line.split(" - ");
    const f = left.split(" ");
    const [fsType, source, superOpts] = right.split(" ");
    return {
      root: f[3],
      mountPoint: f[4],
      options: f[5].split(","),
      fsType,
      source,
      superOptions: (superOpts ?? "").split(","),
    };
  });
}

/** The last mount on a path (the one that is visible). */
function at(mounts: MountInfo[], path: string): MountInfo {
  const m = mounts.filter((x) => x.mountPoint === path).at(-1);
  assert.ok(m, `nothing mounted on ${path}:\n${mounts.map((x) => x.mountPoint).join("\n")}`);
  return m;
}

Deno.test({
  name: "the default config's mounts are in /proc/self/mountinfo",
  ...needs,
  async fn() {
    const mounts = parseMountinfo(await shIn("cat /proc/self/mountinfo"));
    const root = at(mounts, "/");
    assert.ok(root.options.includes("ro"), `/ is not read-only: ${root.options}`);
    assert.equal(at(mounts, "/proc").fsType, "proc");
    const dev = at(mounts, "/dev");
    assert.equal(dev.fsType, "tmpfs");
    assert.ok(dev.options.includes("nosuid"));
    assert.ok(dev.superOptions.includes("mode=755"), `${dev.superOptions}`);
    const pts = at(mounts, "/dev/pts");
    assert.equal(pts.fsType, "devpts");
    assert.ok(pts.options.includes("noexec"));
    const shm = at(mounts, "/dev/shm");
    assert.equal(shm.fsType, "tmpfs");
    assert.ok(shm.options.includes("nodev"));
    assert.equal(at(mounts, "/dev/mqueue").fsType, "mqueue");
    const sys = at(mounts, "/sys");
    assert.equal(sys.fsType, "sysfs");
    assert.ok(sys.options.includes("ro"), `/sys is not read-only: ${sys.options}`);
  },
});

Deno.test({
  name: "the default devices are char devices with the right numbers",
  ...needs,
  async fn() {
    // stat %t:%T prints major:minor in hex.
    const want: Record<string, string> = {
      "/dev/null": "1:3",
      "/dev/zero": "1:5",
      "/dev/full": "1:7",
      "/dev/random": "1:8",
      "/dev/urandom": "1:9",
      "/dev/tty": "5:0",
    };
    const out = await shIn(
      `for d in ${Object.keys(want).join(" ")}; do stat -c '%n %F %t:%T %a' $d; done`,
    );
    const got = new Map(
      out.trim().split("\n").map((l) => {
        const [name, ...rest] = l.split(" ");
        return [name, rest.join(" ")];
      }),
    );
    for (const [dev, nums] of Object.entries(want)) {
      assert.equal(got.get(dev), `character special file ${nums} 666`, dev);
    }
  },
});

Deno.test({
  name: "the default /dev symlinks exist",
  ...needs,
  async fn() {
    const links = {
      "/dev/fd": "/proc/self/fd",
      "/dev/stdin": "/proc/self/fd/0",
      "/dev/stdout": "/proc/self/fd/1",
      "/dev/stderr": "/proc/self/fd/2",
      "/dev/ptmx": "pts/ptmx",
    };
    const out = await shIn(
      `for l in ${Object.keys(links).join(" ")}; do echo "$l $(readlink $l)"; done`,
    );
    assert.equal(
      out,
      Object.entries(links).map(([l, t]) => `${l} ${t}\n`).join(""),
    );
  },
});

Deno.test({
  name: "/dev/null works for writing and reading",
  ...needs,
  async fn() {
    assert.equal(
      await shIn("echo x > /dev/null && wc -c < /dev/null && head -c 3 /dev/zero | wc -c"),
      "0\n3\n",
    );
  },
});

Deno.test({
  name: "maskedPaths hide files and dirs; readonlyPaths are read-only",
  ...needs,
  async fn() {
    // Not every kernel has every masked file; those present must read empty.
    const out = await shIn(
      "n=0; for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do " +
        '[ -e $f ] && n=$((n + 1)) && [ "$(wc -c < $f)" != 0 ] && echo "$f not masked"; done; ' +
        "echo $n; ls -A /sys/firmware | wc -l; " +
        "echo 1 > /proc/sysrq-trigger 2>/dev/null && echo writable || echo ro; " +
        "grep ' /proc/sys ' /proc/self/mountinfo | cut -d' ' -f6",
    );
    const [present, firmware, sysrq, procSysOpts] = out.trim().split("\n");
    assert.ok(Number(present) > 0, out);
    assert.equal(firmware.trim(), "0");
    assert.equal(sysrq, "ro");
    assert.ok(procSysOpts.split(",").includes("ro"), procSysOpts);
  },
});

Deno.test({
  name: "a bind mount from the config is visible, read-only when asked",
  ...needs,
  async fn() {
    const src = await Deno.makeTempDir({ prefix: "runo-bind-" });
    try {
      await Deno.chmod(src, 0o755);
      await Deno.writeTextFile(`${src}/hello.txt`, "from the host\n");
      const out = await shIn(
        "cat /mnt/data/hello.txt; touch /mnt/data/x 2>/dev/null && echo writable || echo ro; " +
          "cat /mnt/rw/hello.txt; echo in > /mnt/rw/new.txt && echo wrote",
        {
          config: (c) => {
            c.mounts!.push(
              { destination: "/mnt/data", type: "bind", source: src, options: ["rbind", "ro"] },
              { destination: "/mnt/rw", type: "bind", source: src, options: ["rbind", "rw"] },
            );
          },
        },
      );
      assert.equal(out, "from the host\nro\nfrom the host\nwrote\n");
      assert.equal(await Deno.readTextFile(`${src}/new.txt`), "in\n");
    } finally {
      await Deno.remove(src, { recursive: true });
    }
  },
});

Deno.test({
  name: "a tmpfs mount is writable under a read-only root",
  ...needs,
  async fn() {
    const out = await shIn("echo hi > /tmp/f && cat /tmp/f && grep ' /tmp ' /proc/self/mountinfo", {
      config: (c) => {
        c.mounts!.push({
          destination: "/tmp",
          type: "tmpfs",
          source: "tmpfs",
          options: ["nosuid", "nodev", "mode=1777"],
        });
      },
    });
    const [content, line] = out.trim().split("\n");
    assert.equal(content, "hi");
    assert.equal(parseMountinfo(line)[0].fsType, "tmpfs");
  },
});

Deno.test({
  name: "--no-pivot gives the same root and mounts",
  ...needs,
  async fn() {
    const mounts = parseMountinfo(
      await shIn("cat /proc/self/mountinfo", { flags: ["--no-pivot"] }),
    );
    assert.ok(at(mounts, "/").options.includes("ro"));
    assert.equal(at(mounts, "/proc").fsType, "proc");
    assert.equal(at(mounts, "/dev").fsType, "tmpfs");
  },
});
