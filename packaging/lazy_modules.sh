#!/bin/sh
# Lists the modules runo loads through lib/lazy.ts (not in cli.ts's static
# graph): every command cli.ts's COMMANDS names (lib/commands/<name>.ts),
# and every path a `load<…>("path")` call names.
# bundle.sh makes each an entry of the bundle; compile.sh --includes them.
set -eu
cd "$(dirname "$0")/.."
{
  sed -n '/^const COMMANDS/,/^};/s|^  \([a-z]*\): .*|lib/commands/\1.ts|p' cli.ts
  find cli.ts shim.ts lib ffi init shim -name '*.ts' ! -name '*_test.ts' ! -name lazy.ts -exec \
    perl -0777 -ne 'print "$1\n" while /\bload<\s*typeof import\("[^"]+"\)\s*>\(\s*"([^"]+)"/g' {} +
} | sort -u
