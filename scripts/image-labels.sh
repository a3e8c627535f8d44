#!/usr/bin/env bash
# Prints the OCI annotations of whisk's images as `docker build` arguments, one a line
# (https://github.com/opencontainers/image-spec/blob/main/annotations.md): version and
# licenses from package.json, revision from git, source from WHISK_SOURCE_URL or the git
# remote `origin` (no build time: the same checkout gives the same labels). scripts/image.sh adds org.opencontainers.image.base.name.
set -euo pipefail
cd "$(dirname "$0")/.."
field() { node -p "require('./package.json').$1"; }
label() { printf '%s\n' --label "org.opencontainers.image.$1=$2"; }
label title whisk
label description "$(field description)"
label version "$(field version)"
label licenses "$(field license)"
label revision "$(git rev-parse HEAD 2>/dev/null || echo unknown)"
source=${WHISK_SOURCE_URL:-$(git remote get-url origin 2>/dev/null || true)}
[[ -z $source ]] || label source "$source"
