#!/bin/sh
# Lists the modules runo loads through lib/lazy.ts (not in cli.ts's static
# graph): every command cli.ts's COMMANDS names (lib/commands/<name>.ts),
# and every path a `load<…>("path")` call names.
# bundle.sh makes each an entry of the bundle; compile.sh --includes them.
# With the argument `shim`, also those of the containerd shim (shim.ts,
# shim/), which the bundle carries and the compiled CLI does not.
set -eu
cd "$(dirname "$0")/.."
srcs="cli.ts lib ffi init"
[ "${1:-}" = shim ] && srcs="$srcs shim.ts shim"
{
  sed -n '/^const COMMANDS/,/^};/s|^  \([a-z]*\): .*|lib/commands/\1.ts|p' cli.ts
  # shellcheck disable=SC2086 # a list of paths without spaces
  find $srcs -name '*.ts' ! -name '*_test.ts' ! -name lazy.ts -exec \
    perl -0777 -ne 'print "$1\n" while /\bload<\s*typeof import\("[^"]+"\)\s*>\(\s*"([^"]+)"/g' {} +
} | sort -u
