#!/usr/bin/env bash
# npm run demo: builds everything and runs the Django example on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
# The machine's own platform only: the arm64 images are for npm run image and releases.
export WHISK_PLATFORMS=native
bash scripts/setup.sh docker
npm run --silent image
docker build --network host -q -t whisk-example-django examples/django >/dev/null
docker rm -f -v whisk-demo >/dev/null 2>&1 || true
if docker network inspect bridge >/dev/null 2>&1; then
  docker run -d --name whisk-demo -p 127.0.0.1:8000:80 whisk-example-django >/dev/null
else
  # No bridge network on this engine: host networking, and whisk listens on 8000 itself.
  docker run -d --name whisk-demo --network host -e WHISK_PORT=8000 -e WHISK_HOST=127.0.0.1 whisk-example-django >/dev/null
fi
for _ in $(seq 1 100); do curl -sf -o /dev/null http://127.0.0.1:8000/ && break; sleep 0.1; done
echo
echo "whisk demo: the Django example is serving on http://127.0.0.1:8000/"
echo "  (admin: http://127.0.0.1:8000/admin/  static: http://127.0.0.1:8000/static/admin/css/base.css)"
echo
echo "\$ curl -i http://127.0.0.1:8000/"
curl -si http://127.0.0.1:8000/
echo
echo "Logs: docker logs whisk-demo    Stop and remove it: docker rm -f -v whisk-demo"
