#!/bin/sh
# `make build`'s bundle, build/bundle: one file per command, so that a
# command reads one file at start-up instead of ~110 modules (each read,
# hashed and looked up in Deno's caches) or ~40 shared chunks.
#
#   cli.js          the entry the launchers run (packaging/dispatch.ts):
#                   loads the file of the command argv names
#   cmd/<name>.js   cli.ts with that command and everything it may load
#                   (cmd/_main.js: help, --version, errors)
#   shim.js         containerd-shim-runo-v2 (shim.ts), the same way
#   lib/log/sink.js LogTape, loaded only when a record is written
#
# Each cmd file is a bundle of its own, with one instance of each module
# (the log queue, the FFI handle). In a copy of the sources (build/gen),
# every lazy load() is made a literal import() (packaging/inline_loads.ts),
# which the bundler inlines and evaluates only when the import() runs.
# LogTape stays apart: it imports node:util, and Deno would load its
# Node compatibility (~15 ms) for every command that holds that import.
# The sources stay what `deno run cli.ts` and mod.ts users load.
set -eu
cd "$(dirname "$0")/.."
DENO=${DENO:-deno}
OUT=${OUT:-build/bundle}
GEN=${GEN:-build/gen}
SEPARATE="lib/log/sink.ts"

rm -rf "$GEN" "$OUT.tmp"
mkdir -p "$GEN/cmd"
tar -cf - --exclude='*_test.ts' cli.ts shim.ts mod.ts deno.json deno.lock lib ffi init shim \
  packaging/dispatch.ts |
  tar -xf - -C "$GEN"
# shellcheck disable=SC2086 # a list of paths without spaces
"$DENO" run --no-prompt --no-config --allow-read="$GEN" --allow-write="$GEN" \
  packaging/inline_loads.ts "$GEN" $SEPARATE

entry() { # name, loader expression
  cat >"$GEN/cmd/$1.ts" <<EOF
import { type CliOptions, runCli as cli } from "../cli.ts";
export function runCli(argv: readonly string[], opts: CliOptions): Promise<never> {
  // deno-lint-ignore no-explicit-any
  return cli(argv, { ...opts, loadCommand: $2 as any });
}
EOF
}
for name in $(sh packaging/commands.sh); do
  entry "$name" "(name: string) => name === \"$name\" ? import(\"../lib/commands/$name.ts\") :
    Promise.reject(new Error(\`internal error: cmd/$name.js was asked for \${name}\`))"
done
entry _main "(name: string) => Promise.reject(new Error(\`internal error: cmd/_main.js was asked for \${name}\`))"

# Minified: V8 deserializes a command's code cache at each start, ~14 µs
# per KB here; minifying took ~0.4 ms off each command. Names are not kept
# (--keep-names is one Object.defineProperty per function as its module
# starts, ~850 on `run`: 0.7 ms of `run`, 0.4 of `exec`): our errors set
# their own `name`, and nothing reads a function's or a class's. The same bundle unminified, in $GEN/unminified,
# is what the checks below and tests/cli/bundle_graph_test.ts read.
bundle() { # out dir, then bundle flags
  out=$1
  shift
  # shellcheck disable=SC2046,SC2086 # one entry per word, no spaces in our paths
  "$DENO" bundle --quiet --platform deno --config "$GEN/deno.json" --outdir "$out" "$@" \
    "$GEN/packaging/dispatch.ts" "$GEN"/cmd/*.ts "$GEN/shim.ts" $(printf "$GEN/%s " $SEPARATE) \
    >/dev/null
  mv "$out/packaging/dispatch.js" "$out/cli.js"
  rmdir "$out/packaging"
}
bundle "$OUT.tmp" --minify
bundle "$GEN/unminified"

# A static import left in a command's file is a module Deno loads on every
# start of that command (the node:util case above): keep it out.
plain="$GEN/unminified"
if grep -l '^import ' "$plain/cli.js" "$plain"/cmd/*.js "$plain/shim.js"; then
  echo "bundle.sh: the files above import modules at start-up; add them to SEPARATE" >&2
  exit 1
fi
# `runo --version`'s commit line (lib/version_info.ts), as runc's Makefile
# stamps its own; none outside a git checkout.
if commit=$(git describe --always --dirty --abbrev=12 2>/dev/null); then
  echo "$commit" >"$OUT.tmp/COMMIT"
fi
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
