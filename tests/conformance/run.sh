#!/bin/sh
# `make conformance`: the OCI runtime-tools validation suite (built once by
# tests/conformance/build.sh) against a runtime, file by file.
#
#   RUNO_CONFORMANCE_RUNTIME  runtimes to run, space-separated (default
#                             "runo" = build/runo): runo, runc, crun, or a
#                             path. crun runs each file inside `unshare -m`
#                             with /sys/fs/cgroup/unified unmounted: it
#                             refuses this host's hybrid cgroup layout.
#   RUNO_CONFORMANCE_FILES    only these files (names, space-separated)
#   RUNO_CONFORMANCE_TIMEOUT  seconds per file (default 180)
#
# Each runtime gets its own --root under build/conformance/ (so leftovers
# are found and removed without touching anyone else's containers) and each
# file its own TMPDIR for the suite's bundles. A file passes when it exits 0
# and prints no "not ok". Files listed in tests/conformance/known_failures.txt
# fail for every runtime on these machines (a reason per file): they count
# as "known failures", apart; a listed file that passes is reported so the
# list can be trimmed. Logs: build/conformance/out-<runtime>/<file>.log.
# Prints a PASS/FAIL table, one column per runtime, then one summary line
# per runtime; the last line is `N passed, M failed` (unexpected failures)
# of the first runtime listed, and the exit status is non-zero when it has
# an unexpected failure.
set -u
cd "$(dirname "$0")/../.."
repo=$(pwd)
say() { printf 'conformance: %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
  say "skipped: needs root (the suite runs real containers)"
  echo "0 passed, 0 failed"
  exit 0
fi

suite=$(sh tests/conformance/build.sh | tail -n 1) && [ -n "$suite" ] || {
  echo "0 passed, 1 failed"
  exit 1
}

known="$repo/tests/conformance/known_failures.txt"
out="$repo/build/conformance"
timeout_s=${RUNO_CONFORMANCE_TIMEOUT:-180}
runtimes=${RUNO_CONFORMANCE_RUNTIME:-runo}

# The reason a file is a known failure, or nothing.
known_reason() {
  awk -v f="$1" '$1 == f { $1 = ""; sub(/^ +/, ""); print; exit }' "$known"
}

# resolve NAME: the runtime's executable.
resolve() {
  case "$1" in
  runo) echo "$repo/build/runo" ;;
  */*) echo "$1" ;;
  *) command -v "$1" || true ;;
  esac
}

# The files to run.
files() {
  if [ -n "${RUNO_CONFORMANCE_FILES:-}" ]; then
    for f in $RUNO_CONFORMANCE_FILES; do echo "$f"; done
  else
    for t in "$suite"/validation/*/*.t; do basename "$t" .t; done
  fi
}

# Mount points under DIR, deepest first: a runtime given no mount
# namespace (linux_ns_nopath) mounts the container's /proc, /dev, /sys in
# the host's.
mounts_under() {
  awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# run_runtime NAME: runs every file with NAME; writes
# $out/out-NAME/results (lines "file PASS|FAIL|KNOWN|STALE").
run_runtime() {
  name=$1
  real=$(resolve "$name")
  if [ -z "$real" ] || [ ! -x "$real" ]; then
    say "$name: no such runtime"
    return 1
  fi
  tag=$(basename "$name")
  logs="$out/out-$tag"
  root="$out/state/$tag"
  rm -rf "$logs"
  mkdir -p "$logs" "$root" "$out/bin"
  # The suite runs $RUNTIME by path; the wrapper adds our private --root.
  wrapper="$out/bin/$tag"
  printf '#!/bin/sh\nexec %s --root %s "$@"\n' "$real" "$root" >"$wrapper"
  chmod +x "$wrapper"
  : >"$logs/results"
  for f in $(files); do
    t="$suite/validation/$f/$f.t"
    if [ ! -x "$t" ]; then
      say "$f: no such file in the suite"
      echo "$f FAIL" >>"$logs/results"
      continue
    fi
    tmp=$(mktemp -d "$out/tmp-$tag.XXXXXX")
    # As /tmp: a container's mapped root must be able to walk to its bundle.
    chmod 755 "$tmp"
    case "$tag" in
    crun)
      set -- unshare -m sh -c \
        'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh "$t"
      ;;
    *) set -- "$t" ;;
    esac
    (cd "$suite" && RUNTIME="$wrapper" TMPDIR="$tmp" \
      timeout "$timeout_s" "$@" >"$logs/$f.log" 2>&1)
    rc=$?
    if [ "$rc" = 0 ] && ! grep -q '^not ok' "$logs/$f.log"; then
      verdict=PASS
    else
      verdict=FAIL
    fi
    [ "$rc" = 124 ] && echo "# conformance: timed out after ${timeout_s}s" >>"$logs/$f.log"
    reason=$(known_reason "$f")
    if [ -n "$reason" ]; then
      [ "$verdict" = PASS ] && verdict=STALE || verdict=KNOWN
    fi
    echo "$f $verdict" >>"$logs/results"
    printf '%-5s %-6s %s\n' "$tag" "$verdict" "$f"
    cleanup "$wrapper" "$root" "$tmp"
  done
}

# cleanup WRAPPER ROOT TMP: deletes what a file left under our own --root,
# unmounts what it left mounted under its TMPDIR, then removes that (never
# through a mount that is still there).
cleanup() {
  for id in $("$1" list -q 2>/dev/null); do
    "$1" delete -f "$id" >/dev/null 2>&1 || true
  done
  for m in $(mounts_under "$3"); do umount -l "$m" 2>/dev/null || true; done
  left=$(mounts_under "$3")
  if [ -n "$left" ]; then
    say "left in place, still mounted: $left"
  else
    rm -rf "$3"
  fi
}

for rt in $runtimes; do
  run_runtime "$rt" || {
    echo "0 passed, 1 failed"
    exit 1
  }
done

# The table: one row per file, one column per runtime.
printf '\n%-36s' "file"
for rt in $runtimes; do printf ' %-6s' "$(basename "$rt")"; done
printf '\n'
for f in $(files); do
  printf '%-36s' "$f"
  for rt in $runtimes; do
    v=$(awk -v f="$f" '$1 == f { print $2 }' "$out/out-$(basename "$rt")/results")
    printf ' %-6s' "$v"
  done
  r=$(known_reason "$f")
  [ -n "$r" ] && printf ' (known: %s)' "$r"
  printf '\n'
done

first=""
for rt in $runtimes; do
  res="$out/out-$(basename "$rt")/results"
  p=$(grep -c ' PASS$' "$res")
  s=$(grep -c ' STALE$' "$res")
  k=$(grep -c ' KNOWN$' "$res")
  f=$(grep -c ' FAIL$' "$res")
  printf '%s: %s passed, %s failed, %s known failures' "$(basename "$rt")" "$((p + s))" "$f" "$k"
  [ "$s" != 0 ] && printf '; %s listed as known now pass: trim known_failures.txt (%s)' \
    "$s" "$(awk '$2 == "STALE" { printf "%s ", $1 }' "$res")"
  printf '\n'
  [ -n "$first" ] || first="$((p + s)) passed, $f failed"
done
echo "$first"
case "$first" in *" 0 failed") exit 0 ;; *) exit 1 ;; esac
