#!/bin/sh
# `make build`'s bundle: cli.ts, shim.ts (containerd-shim-runo-v2) and every
# lazily loaded module as entries of one code-split bundle in build/bundle
# (cli.js, shim.js, lib/…/x.js, chunk-*.js).
# The launchers run it: one file per module graph instead of ~110 modules,
# each read, hashed and looked up in Deno's caches at start-up (~30 ms for
# `run`). The sources stay what `deno run cli.ts` and mod.ts users load.
set -eu
cd "$(dirname "$0")/.."
DENO=${DENO:-deno}
OUT=${OUT:-build/bundle}
rm -rf "$OUT.tmp"
# shellcheck disable=SC2046 # one entry per line, no spaces in our paths
"$DENO" bundle --quiet --platform deno --code-splitting --outdir "$OUT.tmp" \
  cli.ts shim.ts $(sh packaging/lazy_modules.sh shim) >/dev/null
# `runo --version`'s commit line (lib/version_info.ts), as runc's Makefile
# stamps its own; none outside a git checkout.
if commit=$(git describe --always --dirty --abbrev=12 2>/dev/null); then
  echo "$commit" >"$OUT.tmp/COMMIT"
fi
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
