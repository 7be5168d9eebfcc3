#!/bin/sh
# `deno task bench` / `make bench`: runo beside runc and crun, side by side
# in one hyperfine invocation per scenario, on one busybox bundle:
#   run /bin/true · create→start→delete · state · exec true · deno floor
# plus `ctr run --rm` through containerd's runc shim and runo's (bench/shim.sh),
# runo's traced phases of run, exec and state (bench/phases.ts) and memory
# (init RSS while created, peak RSS of each command). Results:
# bench/results/*.json, bench/results/latest.{md,json,svg}.
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
# Container ids (and so default cgroup paths) of this run only: other runs
# and tests may share the machine.
T=$(basename "$WORK" | tr -c 'a-zA-Z0-9\n' -)

runtimes="runo"
command -v runc >/dev/null && runtimes="$runtimes runc"
command -v crun >/dev/null && runtimes="$runtimes crun"

bin() { [ "$1" = runo ] && echo "$RUNO" || command -v "$1"; }

cleanup() {
  for r in $runtimes; do
    for id in long m1; do "$(bin "$r")" --root "$WORK/$r" delete -f "$T-$id" >/dev/null 2>&1 || true; done
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
  set -- "$@" -n "$r run" "$(bin "$r") --root $WORK/$r run -b $WORK/true $T-b1"
done
hf run "$@"

# 2. create → start → delete, through a shell as engines do
set -- -n "deno run (empty)" "deno run --no-prompt $WORK/empty.ts"
for r in $runtimes; do
  b=$(bin "$r")
  set -- "$@" -n "$r create+start+delete" \
    "sh -c '$b --root $WORK/$r create -b $WORK/true $T-c1 && $b --root $WORK/$r start $T-c1 && $b --root $WORK/$r delete -f $T-c1'"
done
hyperfine --warmup 3 --runs "$RUNS" --style basic --export-json "$OUT/cycle.json" "$@"

# 3. state and exec of a running container
for r in $runtimes; do
  "$(bin "$r")" --root "$WORK/$r" run -d -b "$WORK/sleep" "$T-long" </dev/null >/dev/null 2>&1
done
set -- -n "deno run (empty)" "deno run --no-prompt $WORK/empty.ts"
for r in $runtimes; do
  set -- "$@" -n "$r state" "$(bin "$r") --root $WORK/$r state $T-long"
done
hf state "$@"

set -- -n "deno run (empty)" "deno run --no-prompt $WORK/empty.ts"
for r in $runtimes; do
  if [ "$r" = runo ] && ! "$RUNO" exec --help >/dev/null 2>&1; then continue; fi
  set -- "$@" -n "$r exec" "$(bin "$r") --root $WORK/$r exec $T-long /bin/true"
done
hf exec "$@"

# 4. where runo's time goes: the median of each traced phase
#    (RUNO_TRACE=1, lib/log/trace.ts) of run, exec and state
rm -f "$OUT/phases.json"
phases() { # label, then the runo command
  label=$1
  shift
  deno run --no-prompt --allow-read --allow-write --allow-run --allow-env \
    bench/phases.ts "$OUT/phases.json" "$label" "$RUNS" "$RUNO" --root "$WORK/runo" "$@"
}
phases run run -b "$WORK/true" "$T-p1"
phases exec exec "$T-long" /bin/true
phases state state "$T-long"

# 5. memory: the created init's RSS, and the peak RSS of each command
: >"$WORK/mem.txt"
for r in $runtimes; do
  b=$(bin "$r")
  peak() { # name, then the command's arguments
    name=$1
    shift
    # To a file: a created container keeps the command's stdio open.
    if /usr/bin/time -f %M -o "$WORK/peak" "$b" --root "$WORK/$r" "$@" </dev/null >/dev/null 2>&1
    then kb=$(tail -n 1 "$WORK/peak"); else kb=failed; fi
    echo "$r peak_rss_kb_$name $kb" >>"$WORK/mem.txt"
  }
  peak create create -b "$WORK/sleep" "$T-m1"
  pid=$("$b" --root "$WORK/$r" state "$T-m1" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
  rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
  echo "$r init_rss_kb $rss" >>"$WORK/mem.txt"
  peak state state "$T-m1"
  peak list list
  peak start start "$T-m1"
  peak exec exec "$T-m1" /bin/true
  peak ps ps "$T-m1"
  peak pause pause "$T-m1"
  peak resume resume "$T-m1"
  peak kill kill "$T-m1" KILL
  peak delete delete -f "$T-m1"
  peak run run -b "$WORK/true" "$T-m2"
done
cp "$WORK/mem.txt" "$OUT/memory.txt"

# 6. the library: containers through mod.ts in one process, beside shell loops
deno run --no-prompt --allow-ffi --allow-read --allow-write --allow-env --allow-run \
  bench/library.ts "$WORK/true" "${BENCH_LIBRARY_COUNT:-100}"

# 6. containerd: ctr run --rm through runc's shim and through runo's
sh bench/shim.sh "$WORK" "$OUT"

deno run --no-prompt --allow-read --allow-write bench/report.ts "$OUT"
