#!/bin/sh
# Starts one contender: CONTENDER=nginx-gunicorn|gthread|uwsgi|nginx, APP=hello|django, PORT
# (and TLS_PORT, nginx + gunicorn's HTTPS, with /bench-tls/site.crt and site.key), on HOST
# (127.0.0.1 on the host's network; 0.0.0.0 for the start-up measurement's published port).
# Settings are each stack's usual production choice; every one logs each request to stdout
# or stderr, as whisk does (nginx's access_log; gunicorn --access-logfile -; uWSGI's log).
set -eu
: "${PORT:=8000}" "${TLS_PORT:=8443}" "${HOST:=127.0.0.1}" "${APP:=django}" "${CONTENDER:?}"
if [ "$APP" = hello ]; then CHDIR=/app/hello; MODULE=wsgi:application; else CHDIR=/app/example; MODULE=example.wsgi:application; fi
STATIC=/app/example/htdocs
nginx_conf() { sed -e "s|@HOST@|$HOST|g" -e "s|@PORT@|$PORT|g" -e "s|@TLS_PORT@|$TLS_PORT|g" -e "s|@STATIC@|$STATIC|g" "/bench/$1" > /tmp/nginx/nginx.conf; }
case "$CONTENDER" in
  nginx-gunicorn)
    # nginx in front of gunicorn sync workers (2 x cores + 1), nginx serving /static/ itself
    # and writing the access log.
    workers=$((2 * $(nproc) + 1))
    python3 -m gunicorn --chdir "$CHDIR" --workers "$workers" --bind unix:/tmp/nginx/gunicorn.sock "$MODULE" &
    nginx_conf nginx-gunicorn.conf
    exec nginx -c /tmp/nginx/nginx.conf -e stderr ;;
  gthread)
    exec python3 -m gunicorn --chdir "$CHDIR" --worker-class gthread --workers 2 --threads 4 --bind "$HOST:$PORT" \
      --access-logfile - "$MODULE" ;;
  uwsgi)
    # --http-socket (not --http11-socket, which pins one keep-alive connection per worker).
    exec uwsgi --plugin python3 --http-socket "$HOST:$PORT" --master --processes 2 --chdir "$CHDIR" \
      --module "$MODULE" --static-map "/static=$STATIC" --die-on-term ;;
  nginx)
    nginx_conf nginx-static.conf
    exec nginx -c /tmp/nginx/nginx.conf -e stderr ;;
  *) echo "unknown CONTENDER=$CONTENDER" >&2; exit 2 ;;
esac
