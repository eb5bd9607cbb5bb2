#!/usr/bin/env bash
# The demo: installs what is needed (Debian 12 packages), builds the plugin,
# starts the five operators' /metrics endpoints, PostgreSQL with pgBackRest
# and pg_dumps, the test Kubernetes API server, collectd with the plugin
# (the host too) and write_prometheus, and Prometheus with the relabel
# rules and the shipped alert rules, then shows the documented metrics as
# Prometheus sees them, the alerts that fire and the dashboards to import.
# scripts/demo.sh --keep leaves everything running until Ctrl-C.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
if [ "${SKIP_SETUP:-0}" != 1 ]; then
  "$src/scripts/setup.sh"
fi
"$src/scripts/build.sh" "$src/_build"
exec /usr/bin/python3 "$src/scripts/demo.py" "$@"
