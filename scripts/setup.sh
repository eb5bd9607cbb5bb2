#!/usr/bin/env bash
# Installs, from Debian 12's own packages, everything that building the
# plugin, its tests and the demo need. Runs as root, or through sudo.
set -euo pipefail

packages=(
  # build
  build-essential autoconf automake libtool pkg-config
  collectd-dev libcurl4-openssl-dev libpq-dev libcjson-dev
  # the daemon, its write_prometheus (which needs the next two) and logfile
  collectd-core libprotobuf-c1 libmicrohttpd12
  # tests
  check libpcre2-dev prometheus python3 python3-yaml openssl ca-certificates valgrind
  postgresql pgbackrest tzdata prometheus-node-exporter
  clang libclang-rt-14-dev clang-format
  # the Debian package and the man page
  debhelper dpkg-dev fakeroot lintian man-db git
)

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "setup: run this as root (or install sudo)" >&2
    exit 1
  fi
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
  --no-install-recommends "${packages[@]}"
