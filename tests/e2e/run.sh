#!/bin/sh
# `make e2e`: real engines drive runo. Installs podman, conmon and
# containerd (and what podman needs here) with apt-get when missing, then
# runs the scenarios in tests/e2e/ (each engine gets a fresh private state
# made and removed by the scenarios' fixtures; images are made offline from
# the busybox-static rootfs). Root only: engines run real containers.
# The last line is `N passed, M failed`, as tests/run.sh's, for .ci/run.
set -u
cd "$(dirname "$0")/../.."
export NO_COLOR=1
DENO=${DENO:-deno}

say() { printf 'e2e: %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
  say "skipped: needs root (engines run real containers)"
  echo "0 passed, 0 failed"
  exit 0
fi

PKGS="podman conmon containerd uidmap slirp4netns tar procps"
missing=""
for pkg in $PKGS; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
    missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  say "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; }; then
    say "apt-get install failed for:$missing"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$DENO" test --no-prompt --allow-read --allow-write --allow-run --allow-env tests/e2e/ 2>&1 |
  tee "$log"
# deno's closing line: `ok | 21 passed | 0 failed | 1 ignored (29s)`.
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk -F' [|] ' '
  /^(ok|FAILED) [|] / {
    p = 0; f = 0
    for (k = 2; k <= NF; k++) {
      split($k, w, " ")
      if (w[2] == "passed") p = w[1]; else if (w[2] == "failed") f = w[1]
    }
    line = p " passed, " f " failed"
  }
  END { print (line == "" ? "0 passed, 1 failed" : line) }')
echo "$summary"
case "$summary" in *" 0 failed") exit 0 ;; *) exit 1 ;; esac
