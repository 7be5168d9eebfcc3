#!/bin/sh
# The command names of lib/commands/table.ts's COMMANDS, one per line.
set -eu
cd "$(dirname "$0")/.."
sed -n '/^export const COMMANDS/,/^};/s|^  \([a-z]*\): .*|\1|p' lib/commands/table.ts
