#!/usr/bin/env bash
# The demo: installs what is needed (Debian 12 packages), builds the plugin,
# starts a sample operator /metrics endpoint over HTTPS, collectd with the
# plugin and write_prometheus, and Prometheus with the relabel snippet, then
# shows the documented metrics as Prometheus sees them.
# scripts/demo.sh --keep leaves everything running until Ctrl-C.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
if [ "${SKIP_SETUP:-0}" != 1 ]; then
  "$src/scripts/setup.sh"
fi
"$src/scripts/build.sh" "$src/_build"
exec /usr/bin/python3 "$src/scripts/demo.py" "$@"
