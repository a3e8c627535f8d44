#!/usr/bin/env bash
# npm run release: builds every image of image/pythons for every platform of image/platforms
# (scripts/image.sh) and pushes them to the registry WHISK_REGISTRY names (a host[:port] and an
# optional path: registry.example.com/team, 127.0.0.1:5000), as one multi-architecture
# manifest list a tag: WHISK_REGISTRY/whisk:3.13, 3.13-onbuild, 3.11, 3.11-onbuild, latest and
# onbuild (the newest Python), each naming its per-architecture images (pushed as
# whisk:TAG-ARCH), so `docker pull` gives each platform its own image. Beside it, in
# WHISK_RELEASE_DIR (default release/), each image's SBOM: whisk-TAG-ARCH.cdx.json
# (scripts/sbom.mjs). Log in first (docker login) where the registry needs it; a registry
# served over plain HTTP (a local one) needs WHISK_REGISTRY_INSECURE=1 for `docker manifest`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${WHISK_REGISTRY:?names the registry to push to, e.g. WHISK_REGISTRY=registry.example.com/team}"
registry=${WHISK_REGISTRY%/}
out=${WHISK_RELEASE_DIR:-release}
insecure=(); [[ ${WHISK_REGISTRY_INSECURE:-} == 1 ]] && insecure=(--insecure)
log() { echo "release: $*" >&2; }

npm run --silent image >/dev/null
mkdir -p "$out"
node -e 'import("./scripts/sbom.mjs").then(async (m) => process.stdout.write(JSON.stringify(await m.npmBom())))' > "$out/npm.cdx.json"

archs=()
while read -r platform _; do archs+=("${platform#linux/}"); done < <(bash scripts/platforms.sh)

# push LOCAL-TAG: WHISK_REGISTRY/whisk:LOCAL-TAG-ARCH for every arch, once each.
push() {
  local arch
  for arch in "${archs[@]}"; do
    docker tag "whisk:$1-$arch" "$registry/whisk:$1-$arch"
    docker push -q "$registry/whisk:$1-$arch" >/dev/null
  done
}

# release TAG LOCAL-TAG: the manifest list WHISK_REGISTRY/whisk:TAG names the pushed
# whisk:LOCAL-TAG-ARCH of every arch.
release() {
  local tag=$1 local=$2 refs=() arch
  for arch in "${archs[@]}"; do refs+=("$registry/whisk:$local-$arch"); done
  docker manifest rm "$registry/whisk:$tag" >/dev/null 2>&1 || true
  docker manifest create "${insecure[@]}" "$registry/whisk:$tag" "${refs[@]}" >/dev/null
  docker manifest push "${insecure[@]}" --purge "$registry/whisk:$tag" >/dev/null
  log "$registry/whisk:$tag: ${archs[*]}"
}

newest=
while read -r python _; do
  for local in "$python" "$python-onbuild"; do
    for arch in "${archs[@]}"; do
      node scripts/sbom.mjs "whisk:$local-$arch" "$out/whisk-$local-$arch.cdx.json" "$out/npm.cdx.json"
    done
    push "$local"
    release "$local" "$local"
  done
  if [[ -z $newest ]]; then
    newest=$python
    release latest "$python"
    release onbuild "$python-onbuild"
  fi
done < <(grep -v '^#' image/pythons)
rm "$out/npm.cdx.json"
log "done: SBOMs in $out/"
