import { assertEquals } from "../testing/assert.ts";
import { commandToLoad } from "./table.ts";

Deno.test("commandToLoad() names the command main loads, after global flags, or for its help", () => {
  const cases: [string[], string | undefined][] = [
    [["state", "x"], "state"],
    [["--root", "/r", "run", "-b", "b", "x"], "run"],
    [["--root=/r", "--debug", "--log", "f", "exec", "x", "sh"], "exec"],
    [["--root", "run", "state", "x"], "state"], // "run" is --root's value
    [["help", "run"], "run"],
    [["h", "exec"], "exec"],
    [["run", "--help"], "run"],
    [["--systemd-cgroup", "--rootless", "true", "kill", "x"], "kill"],
  ];
  for (const [argv, want] of cases) assertEquals(commandToLoad(argv), want, argv.join(" "));
});

Deno.test("commandToLoad() names none for help, --version, no command, unknown ones, bad flags", () => {
  for (
    const argv of [
      [],
      ["help"],
      ["--help"],
      ["-h", "run"],
      ["--version"],
      ["-v", "state"],
      [
        "bogus",
      ],
      ["help", "bogus"],
      ["--root"],
      ["--nosuch", "state", "x"],
    ]
  ) {
    assertEquals(commandToLoad(argv), undefined, argv.join(" "));
  }
});
