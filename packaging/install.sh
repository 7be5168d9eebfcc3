#!/bin/sh
# `make install` and `make uninstall`, from the repository root.
#
#   $DESTDIR$PREFIX/lib/runo/libnsexec.so, runo-init   the C part
#   $DESTDIR$PREFIX/lib/runo/bundle/                   the CLI as bundled by make build
#                                                      (what the launcher runs)
#   $DESTDIR$PREFIX/lib/runo/src/                      cli.ts, mod.ts, lib/, init/,
#                                                      ffi/, deno.json, deno.lock
#   $DESTDIR$PREFIX/lib/runo/deno-dir/                 the npm dependencies, cached now
#                                                      so the launcher runs offline
#   $DESTDIR$PREFIX/bin/runo                           the launcher (packaging/launcher.c)
#   $DESTDIR$PREFIX/bin/containerd-shim-runo-v2        containerd's io.containerd.runo.v2
#                                                      shim (shim/launcher.c), and the
#   $DESTDIR$PREFIX/bin/containerd-shim-runo-v2.sh     Deno side it execs (packaging/shim.in)
#   $DESTDIR$PREFIX/lib/runo/.made-dirs                the directories install created,
#                                                      which uninstall removes when empty
#
# The launcher names $PREFIX paths (not $DESTDIR ones): DESTDIR is a
# staging root for packagers.
set -eu

action=${1:?usage: install.sh install|uninstall}
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
DENO=${DENO:-deno}
# Deno's npm cache is per registry; the launcher pins the same one. It is
# the one this machine is set up with: NPM_CONFIG_REGISTRY (Deno's own
# setting), else npm's configuration; none is named here, and with
# neither, Deno uses its default.
REGISTRY=${NPM_CONFIG_REGISTRY:-}
if [ -z "$REGISTRY" ] && command -v npm >/dev/null 2>&1; then
  REGISTRY=$(npm config get registry 2>/dev/null || true)
fi
PERMS=${PERMS:---allow-ffi --allow-read --allow-write --allow-env --allow-run}
SHIM_PERMS=${SHIM_PERMS:---allow-ffi --allow-read --allow-write --allow-env --allow-run}
# As the Makefile's launcher (packaging/v8_flags.sh).
V8FLAGS=${V8FLAGS:-$(sh "$(dirname "$0")/v8_flags.sh")}
lib="$PREFIX/lib/runo"
dest="$DESTDIR$lib"
bin="$DESTDIR$PREFIX/bin"

case "$action" in
install)
  deno_path=$(command -v "$DENO") || {
    echo "install: cannot find deno ('$DENO'): install it (npm install -g deno) or set DENO" >&2
    exit 1
  }
  for f in build/libnsexec.so build/runo-init build/bundle/cli.js build/bundle/shim.js \
    build/containerd-shim-runo-v2; do
    [ -f "$f" ] || { echo "install: $f is missing: run make build" >&2; exit 1; }
  done
  # The directories this install creates (parents included), deepest
  # last, so that uninstall removes them again, and only them.
  made=""
  for d in "$dest" "$bin"; do
    while [ -n "$d" ] && [ "$d" != / ] && [ ! -e "$d" ]; do
      made="$d
$made"
      d=$(dirname "$d")
    done
  done
  install -d "$dest" "$bin"
  # Kept across a reinstall over an earlier one.
  { cat "$dest/.made-dirs" 2>/dev/null || true; printf '%s' "$made"; } | grep -v '^$' | sort -u \
    >"$dest/.made-dirs.tmp" || true
  mv -f "$dest/.made-dirs.tmp" "$dest/.made-dirs"
  install -m 0755 build/libnsexec.so build/runo-init "$dest/"
  # Replace the sources as a whole, so no file of an older version lingers.
  rm -rf "$dest/src" "$dest/bundle"
  cp -R build/bundle "$dest/bundle"
  install -d "$dest/src"
  install -m 0644 cli.ts mod.ts deno.json deno.lock "$dest/src/"
  install -m 0644 shim.ts "$dest/src/"
  tar -cf - --exclude='*_test.ts' --exclude=testdata lib init ffi shim | tar -xf - -C "$dest/src"
  # The npm dependency (@logtape/logtape) into the installed module cache.
  (
    [ -z "$REGISTRY" ] || export NPM_CONFIG_REGISTRY="$REGISTRY"
    DENO_DIR="$dest/deno-dir" DENO_NO_UPDATE_CHECK=1 \
      "$deno_path" cache --quiet "$dest/src/cli.ts" "$dest/src/mod.ts" "$dest/src/shim.ts"
  )
  # The launcher (packaging/launcher.c): Deno on the installed bundle with
  # explicit permissions (never -A) and only cached modules (--cached-only,
  # with the module cache installed beside them), so it works offline; the
  # npm cache is kept per registry, so it pins the one the install cached
  # from (none set then: Deno's default, whatever the caller says).
  if [ -n "$REGISTRY" ]; then registry="NPM_CONFIG_REGISTRY=$REGISTRY"; else registry=-NPM_CONFIG_REGISTRY; fi
  cfg=$(mktemp -d)
  # shellcheck disable=SC2086 # the flag lists are meant to split
  sh packaging/launcher_config.sh "$deno_path" "$lib/bundle/cli.js" \
    run --no-prompt --no-config --no-npm --no-remote --cached-only $V8FLAGS $PERMS \
    -- "RUNO_LIBDIR=$lib" "DENO_DIR=$lib/deno-dir" DENO_NO_UPDATE_CHECK=1 "$registry" \
    >"$cfg/launcher_config.h"
  "${CC:-cc}" -O2 -s -static -I"$cfg" -o "$bin/.runo.tmp" packaging/launcher.c
  rm -rf "$cfg"
  chmod 0755 "$bin/.runo.tmp"
  mv -f "$bin/.runo.tmp" "$bin/runo"
  sed -e "s|@LIBDIR@|$lib|g" -e "s|@DENO@|$deno_path|g" -e "s|@SHIM_PERMS@|$SHIM_PERMS|g" \
    -e "s|@REGISTRY@|$REGISTRY|g" \
    packaging/shim.in >"$bin/.shim.tmp"
  chmod 0755 "$bin/.shim.tmp"
  mv -f "$bin/.shim.tmp" "$bin/containerd-shim-runo-v2.sh"
  install -m 0755 build/containerd-shim-runo-v2 "$bin/.shim-launcher.tmp"
  mv -f "$bin/.shim-launcher.tmp" "$bin/containerd-shim-runo-v2"
  echo "installed $bin/runo and $bin/containerd-shim-runo-v2 (files in $dest)"
  ;;
uninstall)
  made=$(cat "$dest/.made-dirs" 2>/dev/null || true)
  rm -f "$bin/runo" "$bin/containerd-shim-runo-v2" "$bin/containerd-shim-runo-v2.sh"
  rm -rf "$dest"
  # What install created, deepest first, each only if nothing else is in it.
  printf '%s\n' "$made" | sort -r | while read -r d; do
    [ -z "$d" ] || rmdir "$d" 2>/dev/null || true
  done
  echo "removed $bin/runo, $bin/containerd-shim-runo-v2 and $dest"
  ;;
*)
  echo "install.sh: unknown action '$action' (install or uninstall)" >&2
  exit 2
  ;;
esac
