#!/bin/sh
# whisk launcher. Node cannot exec, so for `whisk start` the TypeScript entrypoint prepares
# the server root and writes the final Apache argv (shell-quoted) to fd 3; this script then
# execs it, so Apache replaces whisk as tini's direct child and nothing of whisk stays resident.
set -e
here=$(dirname "$(readlink -f "$0")")
umask 0002
if [ "$1" = start ] && [ -z "$WHISK_EXEC_FD" ]; then
  exec 4>&1
  cmd=$(WHISK_EXEC_FD=3 node "$here/whisk.cjs" "$@" 3>&1 1>&4 4>&-) || exit $?
  exec 4>&-
  [ -n "$cmd" ] || exit 0
  eval "exec $cmd"
fi
exec node "$here/whisk.cjs" "$@"
