#!/bin/sh
# `make compile`: one self-contained executable, build/runo-compiled, with
# the same permissions as the launcher. libnsexec.so and runo-init ride
# inside (--include) with their sha256 (build/embedded.sha256); at run time
# ffi/libdir.ts finds them beside the executable, in ../lib/runo, or
# unpacks the embedded copies into /run/runo-lib/<sha256>/.
# deno compile needs the denort runtime: set DENORT_BIN to a denort binary
# of the same Deno version to build offline (deno reads it itself).
set -eu
DENO=${DENO:-deno}
PERMS=${PERMS:---allow-ffi --allow-read --allow-write --allow-env --allow-run}
OUT=${OUT:-build/runo-compiled}

# Modules loaded through lib/lazy.ts are not in cli.ts's static graph: the
# commands, and every module named in a load("...") call.
lazy_modules() {
  for f in lib/commands/*.ts; do
    case $f in *_test.ts) ;; *) printf -- '--include %s ' "$f" ;; esac
  done
  grep -rl 'load<typeof import(' lib ffi init | while read -r src; do
    grep -o 'load<typeof import("[^"]*")' "$src" | sed 's/.*("\(.*\)")/\1/' |
      while read -r rel; do printf -- '--include %s ' "$(realpath --relative-to=. "$(dirname "$src")/$rel")"; done
  done
}

cat build/libnsexec.so build/runo-init | sha256sum | cut -d' ' -f1 >build/embedded.sha256
# shellcheck disable=SC2086 # PERMS is a list of flags
"$DENO" compile --no-prompt --cached-only $PERMS \
  --include build/libnsexec.so --include build/runo-init --include build/embedded.sha256 \
  $(lazy_modules) \
  -o "$OUT" cli.ts
