#!/usr/bin/env bash
# /dev/null must be the null character device (1,3): `repair` recreates it when it is not
# (root only), `check` fails when it is not.
set -euo pipefail
is_null() { [ -c /dev/null ] && [ "$(stat -c '%t,%T' /dev/null)" = "1,3" ]; }
# Without redirections to /dev/null: one would create it as a regular file when it is missing.
what() { if [ -e /dev/null ]; then stat -c '%F' /dev/null; else echo missing; fi; }
case "${1:-}" in
repair)
  is_null && exit 0
  echo "warning: /dev/null is not the null device ($(what)): recreating it" >&2
  rm -f /dev/null
  mknod -m 666 /dev/null c 1 3
  ;;
check)
  is_null || { echo "error: /dev/null is no longer the null device after the tests ($(what))" >&2; exit 1; }
  ;;
*)
  echo "usage: $0 repair|check" >&2
  exit 2
  ;;
esac
