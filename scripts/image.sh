#!/usr/bin/env bash
# Builds whisk's images from this checkout (after `npm run build`), one pair for each line
# of image/pythons: whisk:PYTHON and whisk:PYTHON-onbuild; the first (newest) is also tagged
# whisk:latest and whisk:onbuild.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh docker
newest=
while read -r python base; do
  docker build --network host -q --build-arg "BASE_IMAGE=$base" -f image/Dockerfile -t "whisk:$python" . >/dev/null
  docker build --network host -q --build-arg "WHISK_IMAGE=whisk:$python" -f image/Dockerfile.onbuild -t "whisk:$python-onbuild" . >/dev/null
  if [ -z "$newest" ]; then
    newest=$python
    docker tag "whisk:$python" whisk:latest
    docker tag "whisk:$python-onbuild" whisk:onbuild
  fi
done < <(grep -v '^#' image/pythons)
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' whisk
