#!/bin/sh
# Benchmarks runo beside runc and crun in one hyperfine run, on one busybox
# bundle: `run /bin/true`, and an empty `deno run` as the floor. Results go
# to bench/results/ (JSON from hyperfine, and a markdown table).
set -eu
cd "$(dirname "$0")/.."
REPO=$(pwd)
RUNS=${BENCH_RUNS:-30}
WORK=$(mktemp -d /tmp/runo-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p bench/results

deno run --no-prompt --allow-read --allow-write --allow-run \
  tests/fixtures/bundle.ts --dir "$WORK/bundle" -- /bin/true >/dev/null
echo 'export {};' > "$WORK/empty.ts"

set -- \
  -n "deno run (empty)" "deno run --no-prompt $WORK/empty.ts" \
  -n "runo run /bin/true" "$REPO/build/runo --root $WORK/runo run -b $WORK/bundle b1"
if command -v runc >/dev/null; then
  set -- "$@" -n "runc run /bin/true" "runc --root $WORK/runc run -b $WORK/bundle b1"
fi
if command -v crun >/dev/null; then
  set -- "$@" -n "crun run /bin/true" "crun --root $WORK/crun run -b $WORK/bundle b1"
fi
hyperfine -N --warmup 3 --runs "$RUNS" \
  --export-json bench/results/run_true.json \
  --export-markdown bench/results/run_true.md "$@"
