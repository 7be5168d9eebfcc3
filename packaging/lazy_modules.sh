#!/bin/sh
# Lists the modules runo loads through lib/lazy.ts (not in cli.ts's static
# graph): every command of lib/commands/table.ts's COMMANDS
# (lib/commands/<name>.ts), and every path a `load<…>("path")` call names.
# compile.sh --includes them (bundle.sh inlines them instead). With the
# argument `shim`, also those of the containerd shim (shim.ts, shim/).
set -eu
cd "$(dirname "$0")/.."
srcs="cli.ts lib ffi init"
[ "${1:-}" = shim ] && srcs="$srcs shim.ts shim"
{
  sh packaging/commands.sh | sed 's|.*|lib/commands/&.ts|'
  # shellcheck disable=SC2086 # a list of paths without spaces
  find $srcs -name '*.ts' ! -name '*_test.ts' ! -name lazy.ts -exec \
    perl -0777 -ne 'print "$1\n" while /\bload<\s*typeof import\("[^"]+"\)\s*>\(\s*"([^"]+)"/g' {} +
} | sort -u
