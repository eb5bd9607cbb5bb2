#!/usr/bin/env bash
# The build as a user meets it: make install puts operator_metrics.so (no
# lib prefix, no .la, only module_register exported) into LIBDIR/collectd
# (/usr/lib/collectd with --prefix=/usr) or the directory
# --with-collectd-plugindir names, and the rules and dashboards under
# DATADIR/collectd-operator-metrics; make uninstall removes all of it;
# configure says what it found, stops with the Debian package to install
# when a dependency is missing, and needs Check and PCRE2 only for make
# check.
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
lib="$tmp/root/usr/local/lib/collectd"
share="$tmp/root/usr/local/share/collectd-operator-metrics"
so="$lib/operator_metrics.so"
[ -f "$so" ] && [ ! -e "$lib/operator_metrics.la" ] &&
  [ -z "$(find "$tmp/root" -type f -name 'lib*')" ]
result $? install_plugindir_under_prefix "$(find "$tmp/root" -type f | head; tail -5 "$tmp/install.log")"

[ -f "$share/prometheus/rules/dbops.yml" ] &&
  [ -f "$share/prometheus/relabel.yml" ] &&
  [ -f "$share/grafana/dynamo/operator.json" ] &&
  [ "$(find "$share/grafana" -name '*.json' | wc -l)" -eq 21 ]
result $? install_rules_and_dashboards "$(find "$share" -type f | head)"

exports=$(nm -D --defined-only "$so" 2>/dev/null | awk '$2 == "T" {print $3}')
[ "$exports" = "module_register" ]
result $? exports_only_module_register "exports: $exports"

make -s -C "$build" uninstall DESTDIR="$tmp/root" >"$tmp/uninstall.log" 2>&1
left=$(find "$tmp/root" -type f)
[ -z "$left" ]
result $? uninstall_removes_everything "left behind: $left"


mkdir "$tmp/b2"
(cd "$tmp/b2" && "$src/configure" -q --with-collectd-plugindir=/opt/collectd/plugins \
  >"$tmp/b2.log" 2>&1 && make -s -j"$(nproc)" operator_metrics.la >>"$tmp/b2.log" 2>&1 &&
  make -s install-pluginLTLIBRARIES DESTDIR="$tmp/root2" >>"$tmp/b2.log" 2>&1)
[ -f "$tmp/root2/opt/collectd/plugins/operator_metrics.so" ]
result $? with_collectd_plugindir "$(tail -5 "$tmp/b2.log")"

# --prefix=/usr: where Debian's collectd looks; configure says what it found
mkdir "$tmp/b3"
(cd "$tmp/b3" && "$src/configure" --prefix=/usr >"$tmp/b3.log" 2>&1)
grep -q "plugin directory:  /usr/lib/collectd" "$tmp/b3.log" &&
  grep -q "collectd-operator-metrics $(sed -nE 's/^AC_INIT\(\[[^]]+\], \[([^]]+)\].*/\1/p' "$src/configure.ac")" "$tmp/b3.log" &&
  grep -qE "libcurl: +[0-9]+\.[0-9]+" "$tmp/b3.log"
result $? prefix_usr_and_summary "$(tail -12 "$tmp/b3.log")"

# without Check and PCRE2 the plugin still builds; make check says what to
# install (pkg-config sees every library but those two)
pcdir="$tmp/pc"
mkdir "$pcdir"
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
  [ -d "$d" ] && find "$d" -maxdepth 1 -name '*.pc' ! -name 'check.pc' \
    ! -name 'libpcre2*' -exec cp {} "$pcdir/" \;
done
mkdir "$tmp/b4"
(cd "$tmp/b4" && PKG_CONFIG_LIBDIR="$pcdir" "$src/configure" >"$tmp/b4.log" 2>&1 &&
  make -s -j"$(nproc)" operator_metrics.la >>"$tmp/b4.log" 2>&1)
built=$?
(cd "$tmp/b4" && make check >"$tmp/b4-check.log" 2>&1)
checked=$?
[ "$built" = 0 ] && [ "$checked" != 0 ] &&
  grep -q "make check: *no (install check and libpcre2-dev" "$tmp/b4.log" &&
  grep -q "apt-get install check libpcre2-dev" "$tmp/b4-check.log"
result $? without_test_libraries "built $built, check $checked: $(tail -3 "$tmp/b4.log"; tail -3 "$tmp/b4-check.log")"

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
  (cd "$src" && tar -c --exclude='./_build*' --exclude=./_dev --exclude=./.git .) |
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
