#!/bin/sh
# Fuzzes the bootstrap decoder (tests/fuzz/bootstrap_fuzz.c) with libFuzzer,
# ASan and UBSan for FUZZ_SECONDS (default 30), starting from real bootstrap
# messages (seeds.ts) and the corpus earlier runs kept in build/fuzz/corpus.
# A crash, leak, timeout or sanitizer report fails the run; its input is
# kept as build/fuzz/crash-* to replay: build/fuzz/bootstrap-fuzz <file>.
# Ends with `fuzz: N passed, M failed`, as tests/run.sh parses.
set -u
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-30}
out=build/fuzz
CC_FUZZ=${CC_FUZZ:-clang}
mkdir -p "$out/corpus" "$out/seeds"

fail() { echo "fuzz: $*"; echo "fuzz: 0 passed, 1 failed"; exit 1; }

# The init's sources but main() (nsexec.c) and libnsexec's.
srcs=$(ls c/*.c | grep -v -e '/spawn\.c$' -e 'wrappers\.c$' -e '/hook_spawn\.c$' -e '/call\.c$')
# shellcheck disable=SC2086 # the list is meant to split
$CC_FUZZ -g -O1 -std=gnu11 -Wall -Wextra -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -o "$out/bootstrap-fuzz" tests/fuzz/bootstrap_fuzz.c $srcs ||
  fail "cannot build the harness with $CC_FUZZ (apt-get install clang libclang-rt-14-dev)"
${DENO:-deno} run --no-prompt --allow-write="$out/seeds" tests/fuzz/seeds.ts "$out/seeds" ||
  fail "cannot write the seed inputs"

echo "fuzz: bootstrap decoder for ${secs}s"
# detect_leaks: LeakSanitizer works here (no ptrace restrictions on root).
ASAN_OPTIONS=detect_leaks=1 "$out/bootstrap-fuzz" -max_total_time="$secs" -timeout=5 \
  -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/" \
  "$out/corpus" "$out/seeds" 2>"$out/log"
rc=$?
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+ *DONE|ERROR|SUMMARY' "$out/log"
[ "$rc" = 0 ] || { tail -n 40 "$out/log"; fail "libFuzzer exited $rc (log: $out/log)"; }
echo "fuzz: 1 passed, 0 failed"
