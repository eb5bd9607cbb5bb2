#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 20) from its seed corpus; FUZZ_TARGETS (names,
# space-separated) runs only those. There is a target for every parser of
# outside input: exposition bodies (scrape), the encoding round trip,
# Kubernetes list answers (kube), TZif files and POSIX TZ rules (tz), cron
# expressions (cron), pgBackRest's info JSON (pgbackrest), backup listings
# and their tracking (backup_track), configuration blocks of every kind
# (config), PostgreSQL results and their mapping (pg), HTTP header lines
# with Retry-After (http_header), and the kernel's files the <Host>
# collector reads (host). Prints one PASS/FAIL line per
# target; exits non-zero when a target finds a crash, leak or abort.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_BUILD_DIR:-$src/_build-fuzz}
seconds=${FUZZ_SECONDS:-20}
mkdir -p "$out"
collectd=(-DHAVE_CONFIG_H -I/usr/include/collectd -I/usr/include/collectd/core
          -I/usr/include/collectd/core/daemon)
flags=(-std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -DOM_VERSION='"fuzz"'
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)
for room in core io collectd target postgres backup kubernetes host; do
  flags+=(-I"$src/include/$room")
done
flags+=(-I"$src/tests/unit/support")
core=("$src"/src/core/*.c)
target=("$src"/src/target/om_{parse,series_set,series_cache,label_rules,scrape,target_preset}.c)
kube=("$src"/src/kubernetes/om_kube_{rows,map,presets}.c
      "$src"/src/kubernetes/om_kube_preset_{dbops,dynamo,datum}.c)
backup=("$src"/src/backup/om_{tz,cron,backup_listing,backup_track,backup_map}.c)
host=("$src"/src/host/om_host_{text,filter,proc,stat,disk,net,mounts}.c)
status=0

build() { # name, sources and flags beyond core/
  local name=$1
  shift
  clang "${flags[@]}" "$src/tests/fuzz/$name.c" "$@" "${core[@]}" \
    -o "$out/$name" -lcjson -lm -lpthread >"$out/$name.build.log" 2>&1
}

sources_of() { # name: the sources and flags a target needs beyond core/
  case $1 in
  fuzz_scrape) echo "${target[@]}" ;;
  fuzz_roundtrip)
    echo "$src/tests/unit/support/relabel_engine.c" \
      "$src/tests/unit/support/collectd_model.c" \
      "-DOM_SNIPPET='\"$src/conf/prometheus/relabel.yml\"'" \
      -DPCRE2_CODE_UNIT_WIDTH=8 -lpcre2-8 ;;
  fuzz_kube) echo "${kube[@]}" ;;
  fuzz_tz | fuzz_cron | fuzz_pgbackrest | fuzz_backup_track)
    echo "${backup[@]}" ;;
  fuzz_pg) echo "$src"/src/postgres/om_pg_{snapshot,map}.c ;;
  fuzz_http_header) echo "$src/src/io/om_http_header.c" ;;
  fuzz_host) echo "${host[@]}" ;;
  fuzz_config)
    echo "${collectd[@]}" "$src/tests/unit/support/log_capture.c" \
      "$src"/src/io/om_{buf,file,http,http_header}.c \
      "$src"/src/collectd/om_{conf,block,claims,election}.c \
      "$src"/src/target/om_{target_config,pods_config,label_rules,target_preset}.c \
      "$src"/src/postgres/om_pg_{config,snapshot,map}.c \
      "$src"/src/backup/om_backup_config.c "${backup[@]}" \
      "$src"/src/kubernetes/om_kube_config.c "${kube[@]}" \
      "$src"/src/host/om_host_config.c "${host[@]}" -lcurl ;;
  esac
}

run() { # name
  local name=$1 corpus="$out/corpus-$1"
  mkdir -p "$corpus"
  cp "$src/tests/fuzz/corpus/${name#fuzz_}"/* "$corpus/" 2>/dev/null
  if (cd "$out" && "./$name" -max_total_time="$seconds" -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 "$corpus" >"$out/$name.log" 2>&1); then
    echo "PASS: fuzz.$name ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' \
      "$out/$name.log" | grep -Eo '[0-9]+$') inputs in ${seconds}s)"
  else
    echo "FAIL: fuzz.$name: see $out/$name.log"
    tail -30 "$out/$name.log"
    status=1
  fi
}

all="fuzz_scrape fuzz_roundtrip fuzz_kube fuzz_tz fuzz_cron fuzz_pgbackrest
fuzz_backup_track fuzz_config fuzz_pg fuzz_http_header fuzz_host"
for name in ${FUZZ_TARGETS:-$all}; do
  # shellcheck disable=SC2046 # the sources are words
  if ! eval build "$name" $(sources_of "$name"); then
    echo "FAIL: fuzz.$name: build failed"
    cat "$out/$name.build.log"
    status=1
    continue
  fi
  run "$name"
done
exit $status
