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

# The rooms are kept by the compiler (Makefile.am): core/ compiles without
# collectd's headers, and a collector cannot include another's (libcurl's
# and libpq's headers sit in the system's path: check_layout.py keeps those
# to their rooms). Each
# violation is planted in a copy of the tree and must stop the build of
# that room's library with the header it may not see.
expect_room_refused() { # name file header library
  local name=$1 file=$2 header=$3 lib=$4 dir="$tmp/rooms-$1"
  mkdir -p "$dir"
  (cd "$src" && tar -c --exclude='./_build*' --exclude=./.git .) |
    (cd "$dir" && tar -x) # times kept: autotools need not run again
  sed -i "1i #include \"$header\"" "$dir/$file"
  if (cd "$dir" && ./configure -q >"$dir.log" 2>&1 &&
      make -s "$lib" >>"$dir.log" 2>&1); then
    result 1 "$name" "the build accepted $header in $file"
  else
    grep -q -- "$header: No such file" "$dir.log"
    result $? "$name" "no \"$header: No such file\" in: $(tail -3 "$dir.log")"
  fi
}
expect_room_refused core_without_collectd src/core/om_hash.c plugin.h \
  libomcore.la
expect_room_refused collector_apart_from_collectors src/target/om_scrape.c \
  om_pg_map.h libomtarget.la
expect_room_refused pure_io_without_collectd src/io/om_file.c om_log.h \
  libomio.la

echo "build: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
