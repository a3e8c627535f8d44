#!/bin/sh
# whisk launcher. Node cannot exec, so for `whisk start` the TypeScript entrypoint prepares
# the server root and writes the path of the generated httpd.conf to fd 3; this script then
# execs Apache with it, so Apache replaces whisk as tini's direct child and nothing of whisk
# stays resident. Nothing is evaluated: the path is one argument.
set -e
here=$(dirname "$(readlink -f "$0")")
# As root, nothing whisk or Apache creates may be writable by group 0 (the application's
# group); otherwise group 0 shares the app and server-root files (arbitrary uids, OpenShift).
if [ "$(id -u)" = 0 ]; then umask 0022; else umask 0002; fi
if [ "$1" = start ] && [ -z "$WHISK_EXEC_FD" ]; then
  exec 4>&1
  conf=$(WHISK_EXEC_FD=3 node "$here/whisk.cjs" "$@" 3>&1 1>&4 4>&-) || exit $?
  exec 4>&-
  [ -n "$conf" ] || exit 0
  exec "${WHISK_APACHE_BINARY:-/usr/sbin/apache2}" -f "$conf" -DFOREGROUND
fi
exec node "$here/whisk.cjs" "$@"
