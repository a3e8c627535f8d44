#!/usr/bin/env bash
# Builds whisk's images from this checkout (after `npm run build`): for each platform of
# image/platforms and each line of image/pythons, whisk:PYTHON-ARCH and
# whisk:PYTHON-onbuild-ARCH (whisk:3.13-arm64, whisk:3.13-onbuild-arm64), each carrying its
# architecture in its image metadata. The machine's own architecture is also tagged
# whisk:PYTHON and whisk:PYTHON-onbuild, and its newest Python whisk:latest and whisk:onbuild.
# WHISK_PLATFORMS=linux/amd64 (comma-separated; `native`: the machine's own) builds only
# those platforms (scripts/platforms.sh); another
# architecture than the machine's is built under emulation (qemu-user-static), a few minutes
# a Python. OCI labels: scripts/image-labels.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh docker
native=$(dpkg --print-architecture)
mapfile -t labels < <(bash scripts/image-labels.sh)
while read -r platform namespace; do
  arch=${platform#linux/}
  newest=
  while read -r python base; do
    [[ $arch == "$native" ]] || base=$namespace/$base
    t0=$SECONDS
    docker build --network host -q --platform "$platform" --build-arg "BASE_IMAGE=$base" \
      "${labels[@]}" --label "org.opencontainers.image.base.name=$base" \
      -f image/Dockerfile -t "whisk:$python-$arch" . >/dev/null
    docker build --network host -q --platform "$platform" --build-arg "WHISK_IMAGE=whisk:$python-$arch" \
      "${labels[@]}" --label "org.opencontainers.image.base.name=whisk:$python-$arch" \
      -f image/Dockerfile.onbuild -t "whisk:$python-onbuild-$arch" . >/dev/null
    echo "image: whisk:$python-$arch and whisk:$python-onbuild-$arch ($platform) in $((SECONDS - t0)) s" >&2
    if [[ $arch == "$native" ]]; then
      docker tag "whisk:$python-$arch" "whisk:$python"
      docker tag "whisk:$python-onbuild-$arch" "whisk:$python-onbuild"
      if [[ -z $newest ]]; then
        docker tag "whisk:$python" whisk:latest
        docker tag "whisk:$python-onbuild" whisk:onbuild
      fi
    fi
    newest=${newest:-$python}
  done < <(grep -v '^#' image/pythons)
done < <(bash scripts/platforms.sh)
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' whisk
