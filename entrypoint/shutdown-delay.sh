#!/bin/sh
# whisk's --shutdown-delay supervisor: shutdown-delay SECONDS READY STOPPING DRAINING APACHE-COMMAND...
# (the probe files are paths in the server root, plan/config/paths.ts; the plan writes the command).
# Apache has no delayed stop, so this shell stays, as Apache's parent, to give it one. A stop
# signal (TERM, INT or WINCH; dumb-init turns TERM and INT into WINCH) makes /.whisk/ready
# fail at once (the probe's `ready` file, which Apache serves, is removed, and `stopping`
# keeps handler.wsgi from making it again), while Apache goes on serving; after the delay
# Apache gets WINCH, its graceful stop. USR1 (whisk reload) and HUP are passed on. Exits
# with Apache's status.
set -e
# Runs as root when Apache does: the system's programs only (docs/user-guide.md "Ports and users").
PATH=/usr/sbin:/usr/bin:/sbin:/bin
delay=$1 ready=$2 stopping=$3 draining=$4
shift 4
setsid "$@" &
pid=$!
stop() {
  trap '' TERM INT WINCH
  echo "whisk: stop signal: /.whisk/ready fails from now on; serving ${delay} s more (--shutdown-delay), then a graceful stop" >&2
  : > "$stopping"
  rm -f "$ready"
  sleep "$delay"
  rm -f "$ready"
  # An ASGI application's processes stop with Apache (asgi.py watches for this file).
  : > "$draining"
  kill -WINCH "$pid" 2>/dev/null || :
}
trap stop TERM INT WINCH
trap 'kill -USR1 "$pid" 2>/dev/null || :' USR1
trap 'kill -HUP "$pid" 2>/dev/null || :' HUP
set +e
# wait returns early (status > 128) when a trapped signal arrives: wait again until Apache
# has exited, and exit with its status.
while :; do
  wait "$pid"
  status=$?
  kill -0 "$pid" 2>/dev/null || break
done
# Apache exited just after an interrupted wait: its status is still to be collected.
wait "$pid" 2>/dev/null
last=$?
[ "$last" = 127 ] || status=$last
exit "$status"
