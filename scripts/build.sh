#!/usr/bin/env bash
# Builds the plugin out of tree: scripts/build.sh [BUILD_DIR [configure args]]
# (default _build). The source tree itself is never configured, so several
# builds (plain, sanitizers) live side by side.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/_build}
shift || true
cd "$src"
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
  autoreconf -fi >/dev/null
fi
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ "$src/configure" -nt Makefile ]; then
  "$src/configure" -q "$@"
fi
make -s -j"$(nproc)"
