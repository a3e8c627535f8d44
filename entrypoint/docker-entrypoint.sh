#!/bin/sh
# The image's ENTRYPOINT: the container runs whisk's web server or, as the official images
# do, any other program given instead (docker run my-app python manage.py migrate). One rule,
# on the first argument (docs/user-guide.md, "Commands"):
#   - none, or an option (-…): `whisk start` with every argument (the server);
#   - `whisk`: whisk's own command (`whisk config`, `whisk healthcheck`; `whisk start` is the
#     server, and forces that reading for any argument);
#   - a program: a bare name found on PATH (python, bash, celery), or a path (bin/worker,
#     /usr/bin/env) to an executable file that starts with #! or is a binary, or a path
#     written ./NAME or ../NAME that is not a file here (the application's working directory,
#     where whisk run starts it, may hold it: ./manage.py); run from that directory with
#     --python-path on PYTHONPATH (`whisk run`);
#   - anything else, an entry point (wsgi.py, example.wsgi, production.ini): `whisk start`.
# PID 1 is dumb-init either way. Only Apache gets TERM and INT rewritten into WINCH, its
# graceful stop; a program gets its signals unchanged, and only it (--single-child: a Celery
# worker's pool processes are its own to stop).
# Whoever runs this (root, with `docker run --user root`), it runs only programs of the
# system's directories, by absolute path; the container's PATH (the virtual environment's
# bin first, which the application's user may be able to write) serves to look the program
# up, and goes on to whisk's launcher, which gives it to what runs as the application's user
# alone (docs/user-guide.md "Ports and users").
set -e
app_path=${PATH-}
PATH=/usr/sbin:/usr/bin:/sbin:/bin
whisk=/opt/whisk/dist/whisk
server() {
  PATH=$app_path
  exec /usr/bin/dumb-init --single-child --rewrite 15:28 --rewrite 2:28 -- "$whisk" start "$@"
}
program() {
  PATH=$app_path
  exec /usr/bin/dumb-init --single-child -- "$whisk" run -- "$@"
}
# A file a shell would run as a program: executable, and a script (#!) or an ELF binary; not
# a WSGI script that happens to be executable.
runnable() {
  [ -f "$1" ] && [ -x "$1" ] || return 1
  magic=$(head -c 4 "$1" | od -An -c | tr -d ' \n')
  case $magic in '#!'*|'177ELF') return 0 ;; *) return 1 ;; esac
}
case ${1-} in
  '' | -*) server "$@" ;;
  whisk)
    shift
    [ "${1-}" = start ] && shift && server "$@"
    PATH=$app_path
    exec /usr/bin/dumb-init --single-child -- "$whisk" "$@"
    ;;
  ./* | ../*) if runnable "$1" || [ ! -e "$1" ]; then program "$@"; else server "$@"; fi ;;
  */*) if runnable "$1"; then program "$@"; else server "$@"; fi ;;
  *)
    found=$(PATH=$app_path command -v -- "$1" 2>/dev/null) || found=
    case $found in /*) program "$@" ;; esac
    server "$@"
    ;;
esac
