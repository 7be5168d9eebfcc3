#!/bin/sh
# Writes launcher_config.h for packaging/launcher.c to stdout.
#   launcher_config.sh DENO BUNDLE_CLI_JS [ARG ...] -- [ENV ...]
# ARGs go between `deno` and the bundle (run, flags, permissions); each ENV
# is NAME=VALUE (always set), NAME?=VALUE (set unless already set) or -NAME
# (unset).
set -eu

c_string() { # the argument as a C string literal
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

deno=$1
cli=$2
shift 2
printf '/* Written by packaging/launcher_config.sh: do not edit. */\n'
printf '#define LAUNCH_DENO %s\n' "$(c_string "$deno")"
printf '#define LAUNCH_ARGS'
sep=' '
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  printf '%s%s' "$sep" "$(c_string "$1")"
  sep=', '
  shift
done
printf '%s%s\n' "$sep" "$(c_string "$cli")"
[ $# -gt 0 ] && shift
printf '#define LAUNCH_ENV'
sep=' '
for e in "$@"; do
  case "$e" in
  -*) entry="{ $(c_string "${e#-}"), NULL, UNSET }" ;;
  *\?=*) entry="{ $(c_string "${e%%\?=*}"), $(c_string "${e#*\?=}"), SET_UNLESS_SET }" ;;
  *=*) entry="{ $(c_string "${e%%=*}"), $(c_string "${e#*=}"), SET }" ;;
  *) echo "launcher_config.sh: bad environment entry '$e'" >&2; exit 2 ;;
  esac
  printf '%s%s' "$sep" "$entry"
  sep=', '
done
# An empty initializer is not C: one entry that changes nothing.
[ "$sep" = ' ' ] && printf ' { "", NULL, UNSET }'
printf '\n'
