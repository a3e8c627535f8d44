#!/bin/sh
# Starts one contender: CONTENDER=seeds|gthread|uwsgi|nginx, APP=hello|django, PORT.
# Settings are each stack's usual production choice, as the benchmark's issue fixes them.
set -eu
: "${PORT:=8000}" "${APP:=django}" "${CONTENDER:?}"
if [ "$APP" = hello ]; then CHDIR=/app/hello; MODULE=wsgi:application; else CHDIR=/app/example; MODULE=example.wsgi:application; fi
STATIC=/app/example/htdocs
nginx_conf() { sed -e "s|@PORT@|$PORT|g" -e "s|@STATIC@|$STATIC|g" "/bench/$1" > /tmp/nginx/nginx.conf; }
case "$CONTENDER" in
  seeds)
    # nginx in front of gunicorn sync workers (2 x cores + 1), nginx serving /static/ itself.
    workers=$((2 * $(nproc) + 1))
    python3 -m gunicorn --chdir "$CHDIR" --workers "$workers" --bind unix:/tmp/nginx/gunicorn.sock "$MODULE" &
    nginx_conf nginx-seeds.conf
    exec nginx -c /tmp/nginx/nginx.conf -e stderr ;;
  gthread)
    exec python3 -m gunicorn --chdir "$CHDIR" --worker-class gthread --workers 2 --threads 4 --bind "127.0.0.1:$PORT" "$MODULE" ;;
  uwsgi)
    # --http-socket (not --http11-socket, which pins one keep-alive connection per worker).
    exec uwsgi --plugin python3 --http-socket "127.0.0.1:$PORT" --master --processes 2 --chdir "$CHDIR" \
      --module "$MODULE" --static-map "/static=$STATIC" --disable-logging --die-on-term ;;
  nginx)
    nginx_conf nginx-static.conf
    exec nginx -c /tmp/nginx/nginx.conf -e stderr ;;
  *) echo "unknown CONTENDER=$CONTENDER" >&2; exit 2 ;;
esac
