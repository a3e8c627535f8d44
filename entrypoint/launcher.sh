#!/bin/sh
# whisk launcher: the hand-over. Node cannot exec, so for `whisk start` the TypeScript
# entrypoint prepares the server root and writes the path of the generated httpd.conf to
# fd 3; this script then execs Apache with it, so Apache replaces whisk as PID 1's
# (dumb-init's) direct child and nothing of whisk stays resident (with --shutdown-delay,
# the small supervisor shutdown-delay.sh stays as Apache's parent). Nothing is evaluated:
# the path is one argument.
set -e
# Root runs nothing the application's user can write (docs/user-guide.md "Ports and users"): whisk's
# own programs are found in the system's directories alone, whoever runs this, and the PATH
# this command was given (the virtual environment's bin first, in whisk:onbuild) goes on as
# WHISK_APP_PATH, for what runs as the application's user only: the deploy hook, the
# program of `whisk run`, the mod_wsgi daemons and ASGI processes (python-common restores
# it). WHISK_EXEC_FD is whisk's own hand-over channel, never taken from the environment.
WHISK_APP_PATH=${PATH-}
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH WHISK_APP_PATH
unset WHISK_EXEC_FD
here=$(dirname "$(readlink -f "$0")")
# As root, nothing whisk or Apache creates may be writable by group 0 (the application's
# group); otherwise group 0 shares the app and server-root files (arbitrary uids, OpenShift).
# The same rule as entrypoint/system/modes.ts.
if [ "$(id -u)" = 0 ]; then umask 0022; else umask 0002; fi
# whisk's Node step, from the image's start-up snapshot when there is one (built by the
# image's Node: entrypoint/snapshot.cjs), which saves Debian's Node compiling its bootstrap
# and built-ins on every start; else from the bundle. A snapshot loads only in the Node that
# built it with the same V8 flags: not when NODE_OPTIONS is set, nor once dpkg has installed
# Node again (an upgrade in a derived image). Should Node still refuse it (exit 14, before
# any of whisk runs), the bundle does the same.
snapshot_usable() {
  [ -f "$here/whisk.blob" ] && [ -z "${NODE_OPTIONS-}" ] || return 1
  for f in /var/lib/dpkg/info/nodejs.list /var/lib/dpkg/info/libnode*.list; do
    # shellcheck disable=SC3013 # /bin/sh is Debian's dash, whose test has -nt.
    [ ! "$f" -nt "$here/whisk.blob" ] || return 1
  done
}
whisk_node() {
  if snapshot_usable; then
    rc=0
    node --snapshot-blob "$here/whisk.blob" "$@" || rc=$?
    [ "$rc" = 14 ] || return "$rc"
    echo "whisk: warning: this Node cannot load $here/whisk.blob (the start-up snapshot); starting without it" >&2
  fi
  node "$here/whisk.cjs" "$@"
}
# whisk start from the start cache (entrypoint/system/start-cache.ts): the plan the image's
# build made for its CMD, used when nothing it was made from differs now (start-key.sh
# hashes every input the same way it did then), when whisk is not root, PID 1 is the image's
# dumb-init, stderr is no socket, the server root does not exist yet (a new container) and
# the port is free and may be bound; else it returns 1 (having written nothing, or at most
# part of a new server root whisk's own start then completes) and whisk plans as always.
# Does as `whisk start` does: the server root's files with a new health token, the empty
# directories, the probe files, the deploy hook (system/steps.ts runHook; a failing one
# stops the start, exit 1), the log; then execs the plan's command. The hook runs after the
# writes, so a start that falls back to Node never runs it twice.
cache=/var/lib/whisk/start-cache
# .whisk/hooks/deploy, when there is one, as `whisk start` runs it for a user other than
# root (system/steps.ts runHook, which also looks for it at each start): from the
# application directory, with the application's PATH, no stdin, whisk's stdout and stderr;
# one that is not executable with sh and a warning. Exits 1 when it fails: its exit status,
# or the signal that killed it (a shell sees 128 + the signal's number).
deploy_hook() {
  hook="$(pwd -P)/.whisk/hooks/deploy"
  [ -e "$hook" ] || return 0
  if [ -x "$hook" ]; then
    set -- "$hook"
  else
    echo "whisk: warning: .whisk/hooks/deploy is not executable; running it with sh (chmod +x it to use its #! line)" >&2
    set -- /bin/sh "$hook"
  fi
  echo "whisk: running .whisk/hooks/deploy" >&2
  rc=0
  PATH=$WHISK_APP_PATH "$@" </dev/null || rc=$?
  [ "$rc" != 0 ] || return 0
  why="exit status $rc"
  if [ "$rc" -gt 128 ] && sig=$(kill -l "$rc" 2>/dev/null); then why="SIG$sig"; fi
  echo "whisk: error: .whisk/hooks/deploy failed ($why)" >&2
  exit 1
}
fast_start() {
  [ -f "$cache/key" ] && [ "$(id -u)" != 0 ] || return 1
  # (The shell drops the NUL that ends the first word.)
  init=$(head -z -n 1 /proc/1/cmdline) && [ "${init##*/}" = dumb-init ] || return 1
  [ ! -S /proc/self/fd/2 ] || return 1
  read -r root <"$cache/server-root-path" && [ ! -e "$root" ] && [ -d "${root%/*}/" ] || return 1
  read -r port <"$cache/port" || return 1
  if [ "$port" -lt 1024 ]; then
    # (cat, not read: dash's read of a /proc file returns 1 after reading it.)
    unprivileged=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start) || return 1
    [ "$unprivileged" -le "$port" ] || return 1
  fi
  # Anything listening on the port already (state 0A), here or on IPv6: whisk's own check
  # (system/preflight.ts) says so better than Apache would.
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p=":$(printf '%04X' "$port")" '$2 ~ p "$" && $4 == "0A" { f = 1 } END { exit f }' || return 1
  read -r key <"$cache/key" && [ "$(/bin/sh "$here/start-key" "$cache" "$@")" = "$key" ] || return 1
  read -r placeholder <"$cache/token" || return 1
  token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n') && [ ${#token} = 32 ] || return 1
  # Quietly: where a write fails (a read-only /tmp), whisk's own start says why.
  {
    mkdir -m 0775 "$root" && cp -R "$cache/server-root/." "$root/" && sed -i "s/$placeholder/$token/g" "$root"/* && chmod 0664 "$root"/* || return 1
    while IFS= read -r dir; do mkdir -m 0775 "$dir" || return 1; done <"$cache/empty-dirs"
    { read -r probe && read -r live && read -r ready && read -r ready_at_start; } <"$cache/probe" || return 1
    mkdir -m 0755 "$probe" && printf 'live\n' >"$live" && chmod 0644 "$live" || return 1
    if [ -n "$ready_at_start" ]; then printf 'ready\n' >"$ready" && chmod 0644 "$ready" || return 1; fi
  } 2>/dev/null
  echo "whisk: start cache: nothing whisk plans from has changed since the image was built; Apache starts with the configuration made then ($cache)" >&2
  deploy_hook
  cat "$cache/log" >&2
  set --
  while IFS= read -r word; do set -- "$@" "$word"; done <"$cache/argv"
  exec "$@"
}
# whisk start: Node prepares the server root and writes the command to exec (the plan's
# argv, which `whisk config` prints: Apache, behind the ASGI socket holder and the
# supervisor when they apply), a word a line; this execs it as it is.
if [ "${1-}" = start ]; then
  shift
  fast_start "$@" || true
  set -- start "$@"
  exec 4>&1
  exec_line=$(WHISK_EXEC_FD=3 whisk_node "$@" 3>&1 1>&4 4>&-) || exit $?
  exec 4>&-
  [ -n "$exec_line" ] || exit 0
  set --
  while IFS= read -r word; do set -- "$@" "$word"; done <<EOF
$exec_line
EOF
  exec "$@"
fi
# whisk run -- PROGRAM ARGS: Node checks the settings and says where the application runs (its
# working directory, then the PYTHONPATH of --python-path, a line each) and, as root, as whom
# (uid, gid and home of --user/--group: docs/user-guide.md "Commands"); the program is exec'd from
# there, with the application's PATH, its arguments as they came (never through Node or a
# shell's eval), as root after dropping to that account (util-linux's setpriv).
if [ "${1-}" = run ]; then
  exec 4>&1
  plan=$(WHISK_EXEC_FD=3 whisk_node "$@" 3>&1 1>&4 4>&-) || exit $?
  exec 4>&-
  shift
  [ "${1-}" = -- ] && shift
  dir=$(printf '%s\n' "$plan" | sed -n 1p)
  pythonpath=$(printf '%s\n' "$plan" | sed -n 2p)
  uid=$(printf '%s\n' "$plan" | sed -n 3p)
  gid=$(printf '%s\n' "$plan" | sed -n 4p)
  home=$(printf '%s\n' "$plan" | sed -n 5p)
  cd "$dir"
  [ -z "$pythonpath" ] || export PYTHONPATH="$pythonpath${PYTHONPATH:+:$PYTHONPATH}"
  PATH=$WHISK_APP_PATH
  unset WHISK_APP_PATH
  if [ -n "$uid" ]; then
    export HOME="$home"
    exec /usr/bin/setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$@"
  fi
  exec "$@"
fi
# The image's HEALTHCHECK starts this every 30 s: a bundle of the health check alone.
[ "${1-}" = healthcheck ] && [ -f "$here/healthcheck.cjs" ] && shift && exec node "$here/healthcheck.cjs" "$@"
snapshot_usable || exec node "$here/whisk.cjs" "$@"
whisk_node "$@"
