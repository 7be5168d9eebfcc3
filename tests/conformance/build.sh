#!/bin/sh
# Builds the OCI runtime-tools validation suite once into build/conformance/
# (`make conformance` calls it; tests/conformance/run.sh runs the suite).
# The source is the vendored tarball in ../shared/conformance beside the
# repository, or the file named by RUNO_CONFORMANCE_SRC. It builds offline
# (vendored modules, no proxy) with Debian's golang-go, installed with
# apt-get when missing. Cached: rebuilt only when the tarball changes.
# Prints the suite's directory (holding runtimetest, rootfs-amd64.tar.gz and
# validation/*/*.t) on its last line of stdout; messages go to stderr.
set -eu
cd "$(dirname "$0")/../.."
repo=$(pwd)

say() { printf 'conformance: %s\n' "$*" >&2; }

default_src="../shared/conformance/runtime-tools-260e151.tar.gz"
src=${RUNO_CONFORMANCE_SRC:-}
if [ -z "$src" ]; then
  if [ -f "$default_src" ]; then
    src=$default_src
  else
    say "$default_src is absent; set RUNO_CONFORMANCE_SRC to the runtime-tools tarball"
    exit 2
  fi
fi
if [ ! -f "$src" ]; then
  say "RUNO_CONFORMANCE_SRC=$src: no such file"
  exit 2
fi

out="$repo/build/conformance"
sum=$(sha256sum "$src" | cut -c1-16)
stamp="$out/.built-$sum"
suite="$out/rtsrc"
if [ -f "$stamp" ] && [ -x "$suite/runtimetest" ]; then
  echo "$suite"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "installing golang-go with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q golang-go >/dev/null
fi

say "building the suite from $src (once; cached in build/conformance/)"
rm -rf "$out/rtsrc" "$out"/.built-*
mkdir -p "$out"
tar xzf "$src" -C "$out"
if [ ! -f "$suite/Makefile" ]; then
  say "$src does not unpack to rtsrc/ (expected the runtime-tools tarball)"
  exit 2
fi
# The Go cache stays inside build/ so the build needs no HOME.
(cd "$suite" && GOFLAGS=-mod=vendor GOPROXY=off GOCACHE="$out/gocache" \
  make runtimetest validation-executables >"$out/build.log" 2>&1) || {
  say "build failed; see build/conformance/build.log"
  tail -n 20 "$out/build.log" >&2
  exit 1
}
touch "$stamp"
echo "$suite"
