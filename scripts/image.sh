#!/usr/bin/env bash
# Builds whisk:latest and whisk:onbuild from this checkout (after `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh docker
docker build --network host -q -f image/Dockerfile -t whisk:latest . >/dev/null
docker build --network host -q -f image/Dockerfile.onbuild -t whisk:onbuild . >/dev/null
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' whisk
