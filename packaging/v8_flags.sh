#!/bin/sh
# The V8 flags every runo launcher passes (Makefile, install.sh, compile.sh).
# A command is one short process; each flag below was measured on `run`
# (bench/run.sh, 150 runs, medians: 23.9 -> 19.3 ms in all):
#   --no-lazy               every function of the command's file compiled at
#                           once, so Deno's code cache holds them all (lazily,
#                           each start compiled ~600 functions from source)
#   --min-semi-space-size=8 a young generation no command fills: no scavenge
#                           (the first one took 0.3-3.5 ms)           -1.5 ms
#   --no-sparkplug, --no-maglev, --no-turbofan
#                           no JIT tier-up: nothing runs long enough to pay
#                           back the compiles; the loops that do last (the
#                           pty proxy) move 32 KiB per call through FFI  -1.8 ms
# The shim's server is long-lived and keeps V8's defaults.
echo "--v8-flags=--no-lazy,--min-semi-space-size=8,--no-sparkplug,--no-maglev,--no-turbofan"
