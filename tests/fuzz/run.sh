#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 30) from its seed corpus. Prints one PASS/FAIL line
# per target; exits non-zero when a target finds a crash, leak or abort.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_BUILD_DIR:-$src/_build-fuzz}
seconds=${FUZZ_SECONDS:-30}
mkdir -p "$out"
flags=(-std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -DOM_VERSION='"fuzz"'
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -I"$src/include/core" -I"$src/include/target" \
       -I"$src/include/kubernetes" -I"$src/tests/unit/support")
# the pure code the targets run: all of core/, and the rooms' pure modules
core=("$src"/src/core/*.c "$src"/src/target/om_{parse,series_set,scrape}.c)
status=0
build() { # name, extra sources and flags
  local name=$1
  shift
  clang "${flags[@]}" "$@" "${core[@]}" -o "$out/$name" -lcjson -lm -lpthread \
    >"$out/$name.build.log" 2>&1
}
run() { # name
  local name=$1 corpus="$out/corpus-$1"
  mkdir -p "$corpus"
  cp "$src/tests/fuzz/corpus/${name#fuzz_}"/* "$corpus/" 2>/dev/null
  if (cd "$out" && "./$name" -max_total_time="$seconds" -rss_limit_mb=2048 \
        -print_final_stats=1 "$corpus" >"$out/$name.log" 2>&1); then
    echo "PASS: fuzz.$name ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' \
      "$out/$name.log" | grep -Eo '[0-9]+$') inputs in ${seconds}s)"
  else
    echo "FAIL: fuzz.$name: see $out/$name.log"
    tail -30 "$out/$name.log"
    status=1
  fi
}
if ! build fuzz_scrape "$src/tests/fuzz/fuzz_scrape.c"; then
  echo "FAIL: fuzz.fuzz_scrape: build failed"; cat "$out/fuzz_scrape.build.log"; exit 1
fi
if ! build fuzz_roundtrip "$src/tests/fuzz/fuzz_roundtrip.c" \
    "$src/tests/unit/support/relabel_engine.c" \
    "$src/tests/unit/support/collectd_model.c" \
    -DOM_SNIPPET="\"$src/conf/prometheus/relabel.yml\"" \
    -DPCRE2_CODE_UNIT_WIDTH=8 -lpcre2-8; then
  echo "FAIL: fuzz.fuzz_roundtrip: build failed"; cat "$out/fuzz_roundtrip.build.log"; exit 1
fi
if ! build fuzz_kube "$src/tests/fuzz/fuzz_kube.c" \
    "$src"/src/kubernetes/om_kube_{rows,page,map,presets}.c \
    "$src"/src/kubernetes/om_kube_preset_{dbops,dynamo,datum}.c; then
  echo "FAIL: fuzz.fuzz_kube: build failed"; cat "$out/fuzz_kube.build.log"; exit 1
fi
run fuzz_scrape
run fuzz_roundtrip
run fuzz_kube
exit $status
