// Terminals: process.terminal with --console-socket (the pty master sent
// to a receiver written in TypeScript, as containerd's shim and conmon
// receive it), and foreground `run -t` / `exec -t` driven under a real pty
// (script(1) from util-linux), checked from inside the container: its
// stdio is a /dev/pts tty of its own devpts, the size is applied, and the
// caller's terminal is restored afterwards.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Bundle, createBundle } from "../fixtures/bundle.ts";
import { runDetached } from "../fixtures/container.ts";
import {
  exists,
  host,
  isRunc,
  oneLineError,
  REPO_ROOT,
  requires,
  runoBin,
  type Sandbox,
  sandbox,
  uniqueId,
  waitFor,
  waitStatus,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/** The TypeScript console-socket receiver (tests/fixtures/console_receiver.ts). */
class Receiver {
  readonly socket: string;
  readonly #child: Deno.ChildProcess;
  constructor(dir: string, input: string, until: string) {
    this.socket = `${dir}/console.sock`;
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-ffi",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        `${REPO_ROOT}/tests/fixtures/console_receiver.ts`,
        this.socket,
        input,
        until,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
  }
  async ready(): Promise<void> {
    assert.ok(await waitFor(() => exists(this.socket), 10_000), "receiver did not listen");
  }
  async output(): Promise<{ code: number; text: string }> {
    const out = await this.#child.output();
    return { code: out.code, text: new TextDecoder().decode(out.stdout) };
  }
}

async function terminalBundle(args: string[], size = true): Promise<Bundle> {
  return await createBundle({
    args,
    config: (c) => {
      c.process!.terminal = true;
      if (size) c.process!.consoleSize = { height: 21, width: 77 };
    },
  });
}

/** `script -qec CMD` with `input` typed into its terminal; its output. */
async function underPty(cmd: string, input = ""): Promise<string> {
  const child = new Deno.Command("script", {
    args: ["-qec", cmd, "/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).spawn();
  const w = child.stdin.getWriter();
  if (input) await w.write(new TextEncoder().encode(input));
  const out = child.output();
  // Keep stdin open until the command ends: at EOF script would hang up.
  const text = new TextDecoder().decode((await out).stdout);
  await w.close().catch(() => {});
  return text.replaceAll("\r", "");
}

const SHELL_DIALOG = "tty; stty size; echo MARK$((6*7)); exit 3\n";

async function runningSleeper(sb: Sandbox): Promise<{ id: string; bundle: Bundle }> {
  const bundle = await createBundle({ args: ["sleep", "1000"] });
  return { id: await runDetached(sb, bundle), bundle };
}

Deno.test({
  name: "create --console-socket sends the master to the receiver, which talks to sh",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await terminalBundle(["sh"]);
    const rx = new Receiver(sb.root, SHELL_DIALOG, "MARK42");
    await rx.ready();
    const id = sb.track(uniqueId());
    const c = await sb.runo(["create", "--console-socket", rx.socket, "-b", bundle.dir, id]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal((await sb.runo(["start", id])).code, 0);
    const { code, text } = await rx.output();
    assert.equal(code, 0, text);
    // the master's name beside the fd, "/dev/ptmx" as runc sends it; consoleSize is applied
    assert.match(text, /^name=\/dev\/ptmx size=21x77\n/);
    // ONLCR is left on, as runc leaves it for console-socket receivers
    assert.match(text, /\r\n\/dev\/pts\/\d+\r\n21 77\r\nMARK42/);
    assert.equal(await waitStatus(sb, id, "stopped"), "stopped");
  },
});

Deno.test({
  name: "process.terminal binds the pty onto /dev/console and makes it the controlling tty",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const script = "ls -l /dev/console; readlink /proc/self/fd/0; readlink /proc/self/fd/2; " +
      "echo TTY$((40+2))=$(sed 's/.*) //' /proc/self/stat | cut -d' ' -f5); exit 0\n";
    await using bundle = await terminalBundle(["sh"], false);
    const rx = new Receiver(sb.root, script, "");
    await rx.ready();
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-d", "--console-socket", rx.socket, "-b", bundle.dir, id]);
    assert.equal(r.code, 0, r.stderr);
    const { text } = await rx.output();
    // /dev/console is the pts slave (major 136), fds 0 and 2 are it too
    assert.match(text, /c[-rwx]{9}\s+\d+\s+\w+\s+\w+\s+136,\s+(\d+)[^\n]*\/dev\/console/);
    assert.match(text, /\n\/dev\/pts\/\d+\r\n\/dev\/pts\/\d+\r\n/);
    // tty_nr (field 7 of stat) is non-zero: sh has a controlling terminal
    const ttyNr = /TTY42=(\d+)/.exec(text)?.[1];
    assert.ok(ttyNr && ttyNr !== "0", `tty_nr: ${ttyNr}\n${text}`);
  },
});

Deno.test({
  name: "exec -t --console-socket -d gives the receiver a pty of the container",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const rx = new Receiver(sb.root, SHELL_DIALOG, "MARK42");
    await rx.ready();
    const r = await sb.runo(["exec", "-t", "-d", "--console-socket", rx.socket, id, "sh"]);
    assert.equal(r.code, 0, r.stderr);
    const { code, text } = await rx.output();
    assert.equal(code, 0, text);
    assert.match(text, /\n\/dev\/pts\/\d+\r\n/);
    assert.match(text, /MARK42/);
  },
});

Deno.test({
  name: "run -t under a real pty: proxied in raw mode, sized, exit code kept, terminal restored",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sh", "-c", "tty; stty size; read x; echo got:$x; exit 4"],
      config: (c) => {
        c.process!.terminal = true;
      },
    });
    const id = uniqueId();
    const out = await underPty(
      `stty rows 33 cols 99; ${runoBin()} --root ${sb.root} run -b ${bundle.dir} ${id}; ` +
        `echo RC=$?; stty -a`,
      "hello\n",
    );
    // The container's pty echoes "hello" whenever it arrives: check lines, not their order.
    assert.match(out, /(^|\n|J)\/dev\/pts\/0\n/);
    // runo differs on purpose: it sizes the pty before the process starts;
    // runc 1.1.5 resizes it only once the process runs (signals.go forward),
    // so stty may see 0x0 and fail ("stty: standard input: ...").
    assert.match(out, isRunc() ? /\n33 99\n|\nstty: standard input: / : /\n33 99\n/);
    assert.match(out, /\ngot:hello\n/);
    assert.match(out, /RC=4\n/);
    // the caller's terminal is back in canonical mode with echo
    const after = out.slice(out.indexOf("RC=4"));
    assert.match(after, /[ ;]icanon /);
    assert.match(after, / echo /);
    assert.equal(await exists(`${sb.root}/${id}`), false, "run -t left its state behind");
  },
});

Deno.test({
  name: "exec -t under a real pty returns the exit code and restores the terminal",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const { id, bundle } = await runningSleeper(sb);
    await using _b = bundle;
    const out = await underPty(
      `stty rows 40 cols 100; ${runoBin()} --root ${sb.root} exec -t ${id} sh; echo RC=$?; stty -a`,
      SHELL_DIALOG,
    );
    for (const line of [/\n\/dev\/pts\/\d+\n/, /\n40 100\n/, /\nMARK42\n/]) assert.match(out, line);
    assert.match(out, /RC=3\n/);
    assert.match(out.slice(out.indexOf("RC=3")), /[ ;]icanon /);
  },
});

Deno.test({
  name:
    "a terminal without a console socket in the background, or a socket without one, is refused",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using tty = await terminalBundle(["true"]);
    await using plain = await createBundle({ args: ["true"] });
    const id = uniqueId();
    const a = await sb.runo(["create", "-b", tty.dir, id], { reap: true });
    assert.notEqual(a.code, 0);
    assert.match(oneLineError(a.stderr), /console socket/);
    assert.deepEqual(a.orphans, []);
    assert.equal(await exists(`${sb.root}/${id}`), false);
    const b = await sb.runo([
      "create",
      "--console-socket",
      `${sb.root}/x.sock`,
      "-b",
      plain.dir,
      id,
    ]);
    assert.notEqual(b.code, 0);
    oneLineError(b.stderr);
    assert.equal(await exists(`${sb.root}/${id}`), false);
    // a console socket nobody listens on: the connect error names it
    const c = await sb.runo([
      "create",
      "--console-socket",
      `${sb.root}/none.sock`,
      "-b",
      tty.dir,
      id,
    ]);
    assert.notEqual(c.code, 0);
    assert.match(oneLineError(c.stderr), /none\.sock/);
    assert.equal(await exists(`${sb.root}/${id}`), false);
    await host("true", []);
  },
});
