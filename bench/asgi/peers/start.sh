#!/bin/sh
# Starts one ASGI contender on HOST:PORT (127.0.0.1 on the host's network; 0.0.0.0 for the
# start-up measurement's published port): CONTENDER=uvicorn|uvicorn-h11|nginx-uvicorn|
# gunicorn-uvicorn|hypercorn|daphne. One process per CPU where the server has workers (daphne
# has none: one process). Each logs every request, as whisk's access log does.
set -eu
: "${PORT:=8000}" "${HOST:=127.0.0.1}" "${CONTENDER:?}"
cd /app
workers=$(nproc)
case "$CONTENDER" in
  uvicorn)
    # uvicorn[standard]'s stack: uvloop and httptools (Debian's), which uvicorn takes when present.
    exec python3 -m uvicorn --workers "$workers" --host "$HOST" --port "$PORT" main:app ;;
  uvicorn-h11)
    # pure Python: asyncio and h11.
    exec python3 -m uvicorn --workers "$workers" --host "$HOST" --port "$PORT" --loop asyncio --http h11 main:app ;;
  nginx-uvicorn)
    # The usual deployment: nginx in front (WebSocket upgrade, access log), uvicorn workers on
    # a unix socket, their own access log off (nginx writes it).
    python3 -m uvicorn --workers "$workers" --uds /tmp/nginx/uvicorn.sock \
      --proxy-headers --forwarded-allow-ips '*' --no-access-log main:app &
    sed -e "s|@HOST@|$HOST|g" -e "s|@PORT@|$PORT|g" /bench/nginx-uvicorn.conf > /tmp/nginx/nginx.conf
    exec nginx -c /tmp/nginx/nginx.conf -e stderr ;;
  gunicorn-uvicorn)
    exec python3 -m gunicorn --workers "$workers" --worker-class uvicorn.workers.UvicornWorker \
      --bind "$HOST:$PORT" --access-logfile - main:app ;;
  hypercorn)
    exec python3 -m hypercorn --workers "$workers" --bind "$HOST:$PORT" --access-logfile - main:app ;;
  daphne)
    exec python3 -m daphne --bind "$HOST" --port "$PORT" --access-log - main:app ;;
  *) echo "unknown CONTENDER=$CONTENDER" >&2; exit 2 ;;
esac
