#!/usr/bin/env bash
# The build as a user meets it: make install puts operator_metrics.so (no
# lib prefix, no .la, only module_register exported) into collectd's plugin
# directory or the one --with-collectd-plugindir names, and configure stops
# with the Debian package to install when a dependency is missing.
# Usage: tests/build/test_build.sh BUILD_DIR (an already built tree).
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
result() { # ok? name detail
  if [ "$1" = 0 ]; then
    passed=$((passed + 1))
    echo "PASS: build.$2"
  else
    failed=$((failed + 1))
    echo "FAIL: build.$2: $3"
  fi
}

make -s -C "$build" install DESTDIR="$tmp/root" >"$tmp/install.log" 2>&1
so="$tmp/root/usr/lib/collectd/operator_metrics.so"
[ -f "$so" ] && [ ! -e "$tmp/root/usr/lib/collectd/operator_metrics.la" ] &&
  [ -z "$(find "$tmp/root" -type f -name 'lib*')" ]
result $? install_default_plugindir "$(find "$tmp/root" -type f; tail -5 "$tmp/install.log")"

exports=$(nm -D --defined-only "$so" 2>/dev/null | awk '$2 == "T" {print $3}')
[ "$exports" = "module_register" ]
result $? exports_only_module_register "exports: $exports"

mkdir "$tmp/b2"
(cd "$tmp/b2" && "$src/configure" -q --with-collectd-plugindir=/opt/collectd/plugins \
  >"$tmp/b2.log" 2>&1 && make -s -j"$(nproc)" operator_metrics.la >>"$tmp/b2.log" 2>&1 &&
  make -s install-pluginLTLIBRARIES DESTDIR="$tmp/root2" >>"$tmp/b2.log" 2>&1)
[ -f "$tmp/root2/opt/collectd/plugins/operator_metrics.so" ]
result $? with_collectd_plugindir "$(tail -5 "$tmp/b2.log")"

expect_configure_error() { # name message configure-args...
  local name=$1 message=$2
  shift 2
  mkdir "$tmp/$name"
  if (cd "$tmp/$name" && "$@" >"$tmp/$name.log" 2>&1); then
    result 1 "$name" "configure succeeded"
  else
    grep -q -- "$message" "$tmp/$name.log"
    result $? "$name" "no \"$message\" in: $(tail -3 "$tmp/$name.log")"
  fi
}
expect_configure_error missing_collectd_headers "install collectd-dev" \
  "$src/configure" --with-collectd-include=/nonexistent
expect_configure_error missing_libcurl "install libcurl4-openssl-dev" \
  env PKG_CONFIG_LIBDIR=/nonexistent "$src/configure"

echo "build: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
