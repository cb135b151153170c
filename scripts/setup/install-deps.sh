#!/usr/bin/env bash
# Installs what building poolserve needs from Debian, when it is missing:
# libmicrohttpd-dev, zlib1g-dev and pkg-config. Needs root or sudo.
set -euo pipefail
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libmicrohttpd; }; then
  missing+=(libmicrohttpd-dev)
fi
if ! { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists zlib; }; then
  missing+=(zlib1g-dev)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
