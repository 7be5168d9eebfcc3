#!/bin/sh
# The one test command (`make test` runs it after `make deps build`):
#   C      `make test-c`, when the Makefile has that target
#   unit   deno test lib/ init/ shim/ with no permission at all
#   unit+  deno test tests/unit/ with --allow-read, --allow-ffi (libnsexec.so) and two env vars
#   cli    black-box CLI tests (tests/cli/)
#   integ  real containers (tests/integration/), as root only
#   secu   escapes, bad input, leaks, faults (tests/security/, tests/faults/), root
#   fuzz   the bootstrap decoder under libFuzzer, 30 s (`make fuzz` for longer)
# Each part's output is shown as it runs; its summary line is parsed. The
# last line printed is `N passed, M failed` (sums). A runner that ends
# without a summary counts as 1 failed. Exits non-zero if anything failed.
set -u

cd "$(dirname "$0")/.."
export NO_COLOR=1
DENO=${DENO:-deno}
PART_TIMEOUT=${RUNO_TEST_TIMEOUT:-1800}
IT_FLAGS="--allow-read --allow-write --allow-run --allow-env"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
esc=$(printf '\033')

total_pass=0
total_fail=0
report=""

# deno's closing line: `ok | 12 passed (3 steps) | 0 failed | 2 ignored (1s)`
# or `FAILED | 3 passed | 1 failed (1 step) | 4 filtered out (2s)`.
# Prints "passed failed ignored" or nothing.
parse_deno() {
  sed "s/${esc}\[[0-9;]*m//g" "$1" | awk -F' [|] ' '
    /^(ok|FAILED) [|] / {
      p = 0; f = 0; i = 0
      for (k = 2; k <= NF; k++) {
        split($k, w, " ")
        if (w[2] == "passed") p = w[1]
        else if (w[2] == "failed") f = w[1]
        else if (w[2] == "ignored") i = w[1]
      }
      line = p " " f " " i
    }
    END { if (line != "") print line }'
}

# `C: 12 passed, 0 failed, 1 skipped` from the C test runner (a skipped
# group counts as ignored).
parse_c() {
  sed -n 's/^C: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed, \([0-9][0-9]*\) skipped.*/\1 \2 \3/p' "$1" | tail -n 1
}

# `fuzz: 1 passed, 0 failed` from tests/fuzz/run.sh.
parse_fuzz() {
  sed -n 's/^fuzz: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1 \2 0/p' "$1" | tail -n 1
}

# run_part NAME PARSER CMD...
run_part() {
  name=$1
  parser=$2
  shift 2
  log="$tmp/$name.log"
  printf '\n==> %s: %s\n' "$name" "$*"
  if command -v timeout >/dev/null 2>&1; then
    set -- timeout "$PART_TIMEOUT" "$@"
  fi
  { "$@" 2>&1; echo "$?" >"$tmp/rc"; } | tee "$log"
  rc=$(cat "$tmp/rc")
  summary=$("$parser" "$log")
  if [ -z "$summary" ]; then
    if [ "$rc" = 0 ]; then
      echo "==> $name: no test summary (exit 0); counted as 0 tests"
      summary="0 0 0"
    else
      echo "==> $name: ended (exit $rc) without a test summary; counted as 1 failed"
      summary="0 1 0"
    fi
  fi
  # shellcheck disable=SC2086 # split "passed failed ignored"
  set -- $summary
  p=$1
  f=$2
  i=$3
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    echo "==> $name: exit $rc with no failed test reported; counted as 1 failed"
    f=1
  fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  report="$report$(printf '%-7s %4s passed, %s failed, %s ignored (exit %s)' "$name" "$p" "$f" "$i" "$rc")
"
}

skip_part() {
  printf '\n==> %s: skipped: %s\n' "$1" "$2"
  report="$report$(printf '%-7s skipped: %s' "$1" "$2")
"
}

if grep -q '^test-c:' Makefile; then
  run_part C parse_c make --no-print-directory test-c
else
  skip_part C "no test-c target in the Makefile yet"
fi

run_part unit parse_deno "$DENO" test --no-prompt --permit-no-files lib/ init/ shim/

if [ -d tests/unit ] && find tests/unit -name '*_test.ts' | grep -q .; then
  run_part unit+ parse_deno "$DENO" test --no-prompt --allow-read --allow-ffi --allow-env=RUNO_OCI_SCHEMA_DIR,RUNO_LIBDIR tests/unit/
else
  skip_part unit+ "no tests in tests/unit/"
fi

# shellcheck disable=SC2086 # the flags are meant to split
run_part cli parse_deno "$DENO" test --no-prompt $IT_FLAGS tests/cli/

if [ "$(id -u)" = 0 ]; then
  # shellcheck disable=SC2086
  run_part integ parse_deno "$DENO" test --no-prompt $IT_FLAGS tests/integration/
  # Known escapes, bad input, leaks (tests/security/) and kill -9 faults
  # during create (tests/faults/).
  # shellcheck disable=SC2086
  run_part secu parse_deno "$DENO" test --no-prompt --permit-no-files $IT_FLAGS tests/security/ tests/faults/
else
  skip_part integ "needs root (containers)"
fi

if command -v clang >/dev/null 2>&1; then
  run_part fuzz parse_fuzz make --no-print-directory fuzz FUZZ_SECONDS="${RUNO_FUZZ_SECONDS:-30}"
else
  skip_part fuzz "needs clang (apt-get install clang libclang-rt-14-dev)"
fi

printf '\n==> summary\n%s' "$report"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
