#!/bin/sh
# Lists the modules runo loads through lib/lazy.ts (not in cli.ts's static
# graph): every command, and every path a `load<…>("path")` call names.
# bundle.sh makes each an entry of the bundle; compile.sh --includes them.
set -eu
cd "$(dirname "$0")/.."
{
  ls lib/commands/*.ts | grep -v '_test\.ts$'
  find cli.ts lib ffi init -name '*.ts' ! -name '*_test.ts' ! -name lazy.ts -exec \
    perl -0777 -ne 'print "$1\n" while /\bload<\s*typeof import\("[^"]+"\)\s*>\(\s*"([^"]+)"/g' {} +
} | sort -u
