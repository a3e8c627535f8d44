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
# The source as a public URL only: a clone URL may carry credentials (https://user:TOKEN@host/…,
# a CI checkout's), which labels and SBOMs would publish. Userinfo, query and fragment are
# dropped; scp-style and ssh:// remotes become https://HOST/PATH; anything else (a local
# path, file://) gives no label.
public_url() {
  node -e '
    let s = process.argv[1];
    const scp = /^[^@\/:]+@([^:\/]+):(?!\/)(.+)$/.exec(s);
    if (scp) s = `ssh://${scp[1]}/${scp[2]}`;
    let u;
    try { u = new URL(s); } catch { process.exit(0); }
    const scheme = { "https:": "https", "http:": "http", "ssh:": "https", "git:": "https", "git+ssh:": "https" }[u.protocol];
    if (!scheme || !u.hostname) process.exit(0);
    console.log(`${scheme}://${u.protocol.startsWith("http") ? u.host : u.hostname}${u.pathname}`);' "$1"
}
source=$(public_url "${WHISK_SOURCE_URL:-$(git remote get-url origin 2>/dev/null || true)}")
[[ -z $source ]] || label source "$source"
