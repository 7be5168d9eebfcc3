#!/bin/sh
# `deno task bench` / `make bench`: runo beside runc and crun, side by side
# in one hyperfine invocation per scenario, on one busybox bundle:
#   run /bin/true · create→start→delete · state · exec true · deno floor
# plus `ctr run --rm` through containerd's runc shim and runo's (bench/shim.sh)
# plus memory (init RSS while created, peak RSS per command). Results:
# bench/results/*.json (hyperfine), bench/results/latest.{md,json,svg}.
#
# crun refuses this machine's hybrid cgroup layout ("cgroups in hybrid mode
# not supported") while the cgroup2 tree holds a controller, so the whole
# run happens in a private mount namespace with /sys/fs/cgroup/unified
# unmounted: every runtime sees the same v1-only host.
set -eu
cd "$(dirname "$0")/.."
REPO=$(pwd)

if [ "${RUNO_BENCH_INNER:-}" != 1 ]; then
  if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
    exec unshare -m --propagation private env RUNO_BENCH_INNER=1 \
      sh -c 'umount -l /sys/fs/cgroup/unified && exec sh "$0" "$@"' "$0" "$@"
  fi
fi

RUNS=${BENCH_RUNS:-30}
WORK=$(mktemp -d /tmp/runo-bench.XXXXXX)
OUT=bench/results
mkdir -p "$OUT"
RUNO="$REPO/build/runo"

runtimes="runo"
command -v runc >/dev/null && runtimes="$runtimes runc"
command -v crun >/dev/null && runtimes="$runtimes crun"

bin() { [ "$1" = runo ] && echo "$RUNO" || command -v "$1"; }

cleanup() {
  for r in $runtimes; do
    "$(bin "$r")" --root "$WORK/$r" delete -f long >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

mk_bundle() { # dir args...
  dir=$1
  shift
  deno run --no-prompt --allow-read --allow-write --allow-run \
    tests/fixtures/bundle.ts --dir "$dir" -- "$@" >/dev/null
}
mk_bundle "$WORK/true" /bin/true
mk_bundle "$WORK/sleep" /bin/sleep 100000
echo 'export {};' >"$WORK/empty.ts"

hf() { # name, then hyperfine args
  name=$1
  shift
  hyperfine -N --warmup 3 --runs "$RUNS" --style basic \
    --export-json "$OUT/$name.json" "$@"
}

# 1. run /bin/true
set -- -n "deno run (empty)" "deno run --no-prompt $WORK/empty.ts"
for r in $runtimes; do
  set -- "$@" -n "$r run" "$(bin "$r") --root $WORK/$r run -b $WORK/true b1"
done
hf run "$@"

# 2. create → start → delete, through a shell as engines do
set -- -n "deno run (empty)" "deno run --no-prompt $WORK/empty.ts"
for r in $runtimes; do
  b=$(bin "$r")
  set -- "$@" -n "$r create+start+delete" \
    "sh -c '$b --root $WORK/$r create -b $WORK/true c1 && $b --root $WORK/$r start c1 && $b --root $WORK/$r delete -f c1'"
done
hyperfine --warmup 3 --runs "$RUNS" --style basic --export-json "$OUT/cycle.json" "$@"

# 3. state and exec of a running container
for r in $runtimes; do
  "$(bin "$r")" --root "$WORK/$r" run -d -b "$WORK/sleep" long </dev/null >/dev/null 2>&1
done
set -- -n "deno run (empty)" "deno run --no-prompt $WORK/empty.ts"
for r in $runtimes; do
  set -- "$@" -n "$r state" "$(bin "$r") --root $WORK/$r state long"
done
hf state "$@"

set -- -n "deno run (empty)" "deno run --no-prompt $WORK/empty.ts"
for r in $runtimes; do
  if [ "$r" = runo ] && ! "$RUNO" exec --help >/dev/null 2>&1; then continue; fi
  set -- "$@" -n "$r exec" "$(bin "$r") --root $WORK/$r exec long /bin/true"
done
hf exec "$@"

# 4. memory: the created init's RSS, and each command's peak RSS
: >"$WORK/mem.txt"
for r in $runtimes; do
  b=$(bin "$r")
  "$b" --root "$WORK/$r" create -b "$WORK/true" m1 </dev/null >/dev/null 2>&1
  pid=$("$b" --root "$WORK/$r" state m1 | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
  rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
  echo "$r init_rss_kb $rss" >>"$WORK/mem.txt"
  for cmd in "state m1" "delete -f m1"; do
    peak=$(/usr/bin/time -f %M "$b" --root "$WORK/$r" $cmd 2>&1 >/dev/null | tail -n 1)
    echo "$r peak_rss_kb_${cmd%% *} $peak" >>"$WORK/mem.txt"
  done
  peak=$(/usr/bin/time -f %M "$b" --root "$WORK/$r" run -b "$WORK/true" m2 2>&1 >/dev/null | tail -n 1)
  echo "$r peak_rss_kb_run $peak" >>"$WORK/mem.txt"
done
cp "$WORK/mem.txt" "$OUT/memory.txt"

# 5. the library: containers through mod.ts in one process, beside shell loops
deno run --no-prompt --allow-ffi --allow-read --allow-write --allow-env --allow-run \
  bench/library.ts "$WORK/true" "${BENCH_LIBRARY_COUNT:-100}"

# 6. containerd: ctr run --rm through runc's shim and through runo's
sh bench/shim.sh "$WORK" "$OUT"

deno run --no-prompt --allow-read --allow-write bench/report.ts "$OUT"
