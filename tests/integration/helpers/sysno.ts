// A static helper for seccomp tests: `/sysno NR...` calls syscall(NR) with
// zero arguments for each NR and prints `NR=errno` (0 when it succeeded),
// so a test can tell the filter's answer from the kernel's.
//
// Permissions: read, write, run.

import assert from "node:assert/strict";

const SYSNO_C = `#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    long r = syscall(atol(argv[i]), 0, 0, 0, 0, 0, 0);
    printf("%s=%d\\n", argv[i], r < 0 ? errno : 0);
  }
  return 0;
}
`;

/** Builds the helper as `<rootfs>/sysno`; its source goes in `srcDir`. */
export async function buildSysno(srcDir: string, rootfs: string): Promise<void> {
  const src = `${srcDir}/sysno.c`;
  await Deno.writeTextFile(src, SYSNO_C);
  const cc = await new Deno.Command("cc", {
    args: ["-static", "-O2", "-o", `${rootfs}/sysno`, src],
  })
    .output();
  assert.equal(cc.code, 0, new TextDecoder().decode(cc.stderr));
}

/** `NR=errno` lines of the helper's output as a map. */
export function sysnoResults(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout.split("\n").filter((l) => /^\d+=\d+$/.test(l)).map((l) => l.split("=")),
  );
}
