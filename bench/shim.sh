#!/bin/sh
# `make bench`, scenario "shim": `ctr run --rm IMAGE true` through runc's
# shim (io.containerd.runc.v2) and runo's (io.containerd.runo.v2), and
# through runc's shim with runo as its runc (--runc-binary), side by
# side in one hyperfine run against one private containerd (overlayfs
# snapshots, the busybox image of tests/e2e/image.ts). hyperfine's mean is
# the time per container of a loop of `ctr run --rm`, as a user sees it.
# Usage: bench/shim.sh WORKDIR OUTDIR (bench/run.sh calls it).
set -eu
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=$1
OUT=$2
RUNS=${BENCH_RUNS:-30}
command -v containerd >/dev/null || { echo "bench shim: no containerd (make e2e installs it)"; exit 0; }

d="$WORK/ctrd"
mkdir -p "$d"
cat >"$d/config.toml" <<CONF
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$d/c.sock"
[ttrpc]
  address = "$d/c.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/opt"
CONF
PATH="$REPO/build:$PATH" containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null' EXIT
ctr="ctr --address $d/c.sock --namespace bench"
for _ in $(seq 100); do $ctr version >/dev/null 2>&1 && break; sleep 0.1; done
tar=$(deno run --no-prompt --allow-read --allow-write --allow-run bench/shim_image.ts "$d/image")
$ctr images import "$tar" >/dev/null
image=docker.io/library/runo-busybox:bench

# \$\$: each run's shell pid, so every container has an id of its own.
hyperfine --warmup 3 --runs "$RUNS" --style basic --export-json "$OUT/shim.json" \
  -n "runc ctr run --rm (runc shim)" \
  "$ctr run --rm --runtime io.containerd.runc.v2 $image r\$\$ true" \
  -n "runo ctr run --rm (runo shim)" \
  "$ctr run --rm --runtime io.containerd.runo.v2 $image o\$\$ true" \
  -n "runo-as-runc ctr run --rm (runc shim, --runc-binary runo)" \
  "$ctr run --rm --runtime io.containerd.runc.v2 --runc-binary $REPO/build/runo $image b\$\$ true"

kill "$daemon"
wait "$daemon" 2>/dev/null || true
trap - EXIT
# runo's server exits RUNO_SHIM_LINGER_MS (2 s) after its last task; the
# snapshots are unmounted by containerd's delete.
sleep 3
