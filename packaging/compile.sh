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
# As the launchers (packaging/v8_flags.sh).
V8FLAGS=${V8FLAGS:-$(sh "$(dirname "$0")/v8_flags.sh")}

cat build/libnsexec.so build/runo-init | sha256sum | cut -d' ' -f1 >build/embedded.sha256
# shellcheck disable=SC2086 # PERMS is a list of flags
"$DENO" compile --no-prompt --cached-only $V8FLAGS $PERMS \
  --include build/libnsexec.so --include build/runo-init --include build/embedded.sha256 \
  $( [ -f build/bundle/COMMIT ] && echo --include build/bundle/COMMIT) \
  $(sh packaging/lazy_modules.sh | sed 's/^/--include /') \
  -o "$OUT" cli.ts
