#!/usr/bin/env bash
# Makes this machine ready for whisk's demo, tests and benchmark (idempotent; run by
# `npm test`, `npm run demo`, `npm run bench` and .ci/run):
#   - the npm dependencies, when node_modules is missing (a fresh clone);
#   - Debian packages: a Docker engine (docker.io) if none answers, debootstrap, and for the
#     host tests Debian's Apache + mod_wsgi and the examples' Python packages;
#   - a Docker engine: a plain `dockerd` (its default bridge network and iptables, so
#     `docker run -p 127.0.0.1:PORT:80` works as users run it) when none is running;
#   - the base images of image/pythons (debian:trixie-slim, debian:bookworm-slim), made
#     with debootstrap when the tag is absent
#     (Docker Hub is not reachable here; on a normal machine `docker pull` it instead).
# Usage: scripts/setup.sh [docker|all]   (default all; docker = engine and base image only)
set -euo pipefail
what=${1:-all}
cd "$(dirname "$0")/.."

log() { echo "setup: $*" >&2; }

if [[ ! -d node_modules ]]; then
  log "installing npm dependencies (npm ci: the lock file's exact versions)"
  npm ci --no-audit --no-fund >/dev/null
fi

packages=(debootstrap iproute2 curl)
[[ $what == all ]] && packages+=(apache2 libapache2-mod-wsgi-py3 python3-django python3-flask python3-pyramid python3-pastedeploy python3-uvicorn python3-websockets python3-starlette brotli docker-compose prometheus)
docker info >/dev/null 2>&1 || command -v dockerd >/dev/null || packages+=(docker.io)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [[ $(id -u) != 0 ]]; then
    log "missing Debian packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  nohup dockerd >/var/log/whisk-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/whisk-dockerd.log"; exit 1; }
fi

# The base images are named once, in image/pythons (TAG debian:SUITE-slim a line).
make_base() {
  local base=$1 suite root
  suite=${base#debian:}; suite=${suite%-slim}
  docker image inspect "$base" >/dev/null 2>&1 && return 0
  log "making $base with debootstrap (about a minute)"
  root=$(mktemp -d /tmp/whisk-base.XXXXXX)
  # No mirror argument: debootstrap uses the machine's configured default.
  debootstrap --variant=minbase "$suite" "$root" >/dev/null
  # As the official slim images: no docs, man pages or apt caches.
  cat > "$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/man/* "$root"/usr/share/info/*
  find "$root/usr/share/doc" -mindepth 2 -not -name copyright -delete 2>/dev/null || true
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$root"
}
bases=$(grep -v '^#' image/pythons | awk '{print $2}')
for base in $bases; do make_base "$base"; done
log "ready: $(docker version --format 'Docker engine {{.Server.Version}}'), $(echo $bases) present"
