#!/usr/bin/env bash
# Makes this machine ready for whisk's demo, tests and benchmark (idempotent; run by
# `npm test`, `npm run demo`, `npm run bench` and .ci/run):
#   - the npm dependencies, when node_modules is missing (a fresh clone);
#   - Debian packages: a Docker engine (docker.io) if none answers, debootstrap, and for the
#     host tests Debian's Apache + mod_wsgi and the examples' Python packages;
#   - a Docker engine: a plain `dockerd` (its default bridge network and iptables, so
#     `docker run -p 127.0.0.1:PORT:80` works as users run it) when none is running;
#   - the base images of image/pythons (debian:trixie-slim, debian:bookworm-slim) for each
#     platform of image/platforms (arm64v8/debian:trixie-slim, ... for arm64, run under
#     qemu-user-static), made with debootstrap when the tag is absent
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

# The platforms to make bases for (scripts/platforms.sh: image/platforms, or WHISK_PLATFORMS);
# another architecture than the machine's needs the emulator.
native=$(dpkg --print-architecture)
mapfile -t platforms < <(bash scripts/platforms.sh)

packages=(debootstrap iproute2 curl)
for p in "${platforms[@]}"; do [[ ${p%% *} == "linux/$native" ]] || { packages+=(qemu-user-static binfmt-support); break; }; done
[[ $what == all ]] && packages+=(apache2 libapache2-mod-wsgi-py3 python3-django python3-flask python3-pyramid python3-pastedeploy python3-uvicorn python3-websockets python3-starlette python3-prometheus-client python3-socketio python3-websocket nghttp2-client python3-flake8 shellcheck brotli docker-compose prometheus docker-registry)
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

# The base images are named once, in image/pythons (TAG debian:SUITE-slim a line), and the
# platforms in image/platforms: the machine's own architecture's base is debian:SUITE-slim,
# another one's NAMESPACE/debian:SUITE-slim (arm64v8/debian:trixie-slim), as Docker Hub names
# them. Usage of this part alone: make_base IMAGE SUITE DEBIAN-ARCH DOCKER-PLATFORM.
make_base() {
  local image=$1 suite=$2 arch=$3 platform=$4 root
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  log "making $image ($platform) with debootstrap (a minute; a few under emulation)"
  root=$(mktemp -d /tmp/whisk-base.XXXXXX)
  # No mirror argument: debootstrap uses the machine's configured default. For another
  # architecture its second stage runs under qemu-user-static (binfmt_misc, below).
  debootstrap --arch="$arch" --variant=minbase "$suite" "$root" >/dev/null
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
  # A one-layer image FROM scratch, built for the platform: its metadata then names the true
  # architecture (this engine's `docker import --platform` records the machine's own).
  tar -C "$root" -cf "$root.tar" . && rm -rf "$root"
  local context
  context=$(mktemp -d /tmp/whisk-base-context.XXXXXX)
  mv "$root.tar" "$context/rootfs.tar"
  printf 'FROM scratch\nADD rootfs.tar /\nCMD ["bash"]\n' > "$context/Dockerfile"
  docker build -q --platform "$platform" -t "$image" "$context" >/dev/null 2>&1 \
    || { rm -rf "$context"; log "could not build $image"; exit 1; }
  rm -rf "$context"
}

# Another architecture's programs run under Debian's qemu-user-static, registered with the
# kernel's binfmt_misc ("F": the interpreter is opened once, so it works inside containers).
enable_emulation() {
  local arch=$1 qemu
  case $arch in arm64) qemu=aarch64 ;; *) qemu=$arch ;; esac
  [[ -e /proc/sys/fs/binfmt_misc/qemu-$qemu ]] && grep -q enabled "/proc/sys/fs/binfmt_misc/qemu-$qemu" && return 0
  [[ -e /proc/sys/fs/binfmt_misc/register ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  update-binfmts --enable "qemu-$qemu" >/dev/null 2>&1 || true
  grep -q enabled "/proc/sys/fs/binfmt_misc/qemu-$qemu" || { log "cannot run $arch programs (qemu-$qemu not registered)"; exit 1; }
}

made=()
for p in "${platforms[@]}"; do
  read -r platform namespace <<<"$p"
  arch=${platform#linux/}
  [[ $arch == "$native" ]] || enable_emulation "$arch"
  for base in $(grep -v '^#' image/pythons | awk '{print $2}'); do
    suite=${base#debian:}; suite=${suite%-slim}
    image=$base; [[ $arch == "$native" ]] || image=$namespace/$base
    make_base "$image" "$suite" "$arch" "$platform"
    made+=("$image")
  done
done
log "ready: $(docker version --format 'Docker engine {{.Server.Version}}'), ${made[*]} present"
