#!/usr/bin/env bash
# Prints the platforms to build, a line each as in image/platforms (PLATFORM NAMESPACE):
# every line of image/platforms, or those WHISK_PLATFORMS names (comma-separated Docker
# platforms, e.g. linux/amd64; `native`: the machine's own, for the demo and the benchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
wanted=${WHISK_PLATFORMS:-}
[[ $wanted != native ]] || wanted=linux/$(dpkg --print-architecture)
while read -r platform namespace; do
  if [[ -z $wanted || ,$wanted, == *,$platform,* ]]; then echo "$platform $namespace"; fi
done < <(grep -v '^#' image/platforms)
