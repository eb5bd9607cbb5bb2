#!/usr/bin/env bash
# Sets everything up and runs every test:
#   1. Debian packages (scripts/setup.sh), a plain and a sanitizer build,
#      make install and configure's errors for missing dependencies;
#   2. the Check unit suites, again under valgrind, again with ASan/UBSan;
#   3. the relabel snippet against Prometheus' own config checker, the
#      rooms of the source tree (tests/build/check_layout.py) and the code
#      layout against clang-format;
#   4. the end-to-end suites: real collectd 5.12 + write_prometheus +
#      Prometheus 2.42 + fixture endpoints, and the plugin in collectd under
#      valgrind and the sanitizers;
#   5. short fuzzing runs of every fuzz target (FUZZ_SECONDS, default 10
#      here: the whole run stays under 30 minutes on 2 cores);
#   6. the benchmarks, whose numbers are reported, not asserted.
# Ends with "N passed, N failed" and exits non-zero on any failure.
# SKIP_SETUP=1 skips the package installation (for repeated local runs).
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
export PYTHON=/usr/bin/python3
passed=0
failed=0

# each count says how long its part took, so that the run's 30 minutes
# on 2 cores can be watched
last=$SECONDS
count() { # passed failed what
  passed=$((passed + $1))
  failed=$((failed + $2))
  echo "== $3: $1 passed, $2 failed ($((SECONDS - last)) s)"
  last=$SECONDS
}

# Check prints "NN%: Checks: X, Failures: F, Errors: E" per suite.
count_check_logs() { # build-dir label
  local p=0 f=0 log line checks fails errs
  for log in "$1"/tests/unit/*/check_*.log; do
    line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -1)
    if [ -z "$line" ]; then
      echo "no Check summary in $log (crashed?)"
      f=$((f + 1))
      continue
    fi
    checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    fails=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
    errs=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
    echo "$(basename "$log" .log): $line"
    p=$((p + checks - fails - errs))
    f=$((f + fails + errs))
  done
  count "$p" "$f" "$2"
}

# Suites that print "suite: N passed, M failed" as their last line.
count_suite() { # label command...
  local label=$1 out line
  shift
  out=$(mktemp)
  "$@" 2>&1 | tee "$out"
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
  rm -f "$out"
  if [ -z "$line" ]; then
    count 0 1 "$label (no summary: it crashed or could not start)"
    return
  fi
  count "$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")" \
        "$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")" "$label"
}

check_one() { # label command...: one test that passes when the command does
  local label=$1
  shift
  if "$@"; then count 1 0 "$label"; else count 0 1 "$label"; fi
}

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi

echo "== building"
if ! scripts/build.sh "$src/_build" || \
   ! scripts/build.sh "$src/_build-asan" --enable-sanitizers; then
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== build and install"
count_suite "build" tests/build/test_build.sh _build
count_suite "distcheck (as a normal user)" tests/build/test_distcheck.sh

echo "== unit tests"
make -s -C _build -j"$(nproc)" check >/dev/null 2>&1
count_check_logs _build "unit (Check)"

echo "== unit tests under valgrind"
vg_pass=0
vg_fail=0
for t in _build/tests/unit/*/check_*; do
  case $t in *.log | *.trs | *.o | *.valgrind) continue ;; esac
  [ -x "$t" ] || continue
  rel=${t#_build/}
  if (cd _build && CK_FORK=no valgrind -q --error-exitcode=99 \
        --leak-check=full --errors-for-leak-kinds=definite \
        "$rel" >"$rel.valgrind" 2>&1); then
    vg_pass=$((vg_pass + 1))
  else
    vg_fail=$((vg_fail + 1))
    echo "valgrind: $rel failed:"
    tail -30 "$t.valgrind"
  fi
done
count "$vg_pass" "$vg_fail" "unit under valgrind"

echo "== unit tests with ASan and UBSan"
make -s -C _build-asan -j"$(nproc)" check >/dev/null 2>&1
count_check_logs _build-asan "unit (Check, ASan+UBSan)"

echo "== configuration and style"
check_one "promtool check config (example with the relabel snippet)" \
  promtool check config conf/prometheus/prometheus.yml
for rules in conf/prometheus/rules/*.yml; do
  check_one "promtool check rules $rules" promtool check rules "$rules"
done
for rules in tests/rules/*.test.yml; do
  check_one "promtool test rules $rules" \
    sh -c 'cd tests/rules && promtool test rules "$(basename "$1")"' - "$rules"
done
count_suite "rule files against the documents and their tests" \
  "$PYTHON" tests/rules/check_rules.py
count_suite "man page (options against the readers, podchecker, man)" \
  "$PYTHON" tests/build/check_man_options.py
count_suite "dashboards (structure, documents, generator)" \
  "$PYTHON" tests/build/check_dashboards.py
count_suite "layout (the rooms of the source tree)" \
  "$PYTHON" tests/build/check_layout.py --self-test
check_one "clang-format (LLVM style)" \
  clang-format --dry-run --Werror src/*.c src/*/*.c include/*/*.h \
  tests/unit/*/*.c tests/unit/*/*.h tests/fuzz/*.c tests/bench/*.c tools/*.c

echo "== end to end: <Target>"
export OM_PLUGIN=$src/_build/.libs/operator_metrics.so
count_suite "e2e <Target>" "$PYTHON" tests/e2e/test_target.py

echo "== end to end: the configuration examples of the documents"
count_suite "e2e examples" "$PYTHON" tests/e2e/test_examples.py

echo "== end to end: <Postgres>"
count_suite "e2e <Postgres>" "$PYTHON" tests/e2e/test_postgres.py

echo "== end to end: <Backup>"
count_suite "e2e <Backup>" "$PYTHON" tests/e2e/test_backup.py

echo "== end to end: <Kubernetes>"
count_suite "e2e <Kubernetes>" "$PYTHON" tests/e2e/test_kubernetes.py

echo "== end to end: the DB Provision Operator's full combination"
count_suite "e2e combined" "$PYTHON" tests/e2e/test_combined.py

echo "== end to end: a fleet of collectds under leader election"
count_suite "e2e fleet" "$PYTHON" tests/e2e/test_fleet.py

echo "== end to end: operator pods found by label, scraped by their node"
count_suite "e2e pods" "$PYTHON" tests/e2e/test_pods.py

echo "== end to end: kubelet/cAdvisor and kube-state-metrics"
count_suite "e2e kubelet" "$PYTHON" tests/e2e/test_kubelet.py

echo "== end to end: <Host> beside node_exporter"
count_suite "e2e host" "$PYTHON" tests/e2e/test_host.py

echo "== end to end: the shipped rules and dashboards on the demo's stack"
count_suite "e2e monitoring" "$PYTHON" tests/e2e/test_monitoring.py

echo "== end to end: big targets (50k and 100k series)"
count_suite "e2e big targets" "$PYTHON" tests/e2e/test_big_targets.py

echo "== end to end: the Debian package, built, linted, installed, removed"
count_suite "e2e deb" "$PYTHON" tests/e2e/test_deb.py

echo "== end to end: memory checks of the plugin in collectd"
export OM_ASAN_PLUGIN=$src/_build-asan/.libs/operator_metrics.so
count_suite "e2e memcheck" "$PYTHON" tests/e2e/test_memcheck.py

export FUZZ_SECONDS=${FUZZ_SECONDS:-10}
echo "== fuzzing (${FUZZ_SECONDS}s per target)"
fuzz_out=$(tests/fuzz/run.sh 2>&1)
echo "$fuzz_out"
count "$(grep -c '^PASS: fuzz' <<<"$fuzz_out")" \
      "$(grep -c '^FAIL: fuzz' <<<"$fuzz_out")" "fuzzing"

echo "== benchmark (numbers, not assertions)"
if make -s -C _build tests/bench/bench_scrape >/dev/null 2>&1 &&
   _build/tests/bench/bench_scrape; then
  count 1 0 "benchmark ran and every sample came through"
  # instructions are repeatable where wall-clock time is not: per sample
  # of the controller-runtime body, new to the cache and seen before
  for pass in scrape_first_time scrape_known; do
    valgrind --tool=callgrind --callgrind-out-file=_build/bench.callgrind \
      "--toggle-collect=$pass*" _build/tests/bench/bench_scrape 40 1 - 1 \
      >_build/bench.callgrind.out 2>&1
    total=$(callgrind_annotate _build/bench.callgrind 2>/dev/null |
      awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    samples=$(sed -nE 's/.*, ([0-9]+) samples.*/\1/p' _build/bench.callgrind.out)
    if [ -n "$total" ] && [ -n "$samples" ]; then
      echo "bench: scrape pipeline ($pass) $((total / samples))" \
        "instructions/sample (callgrind, $samples samples)"
    fi
  done
else
  count 0 1 "benchmark"
fi
if make -s -C _build tests/bench/bench_kube >/dev/null 2>&1 &&
   _build/tests/bench/bench_kube; then
  count 1 0 "Kubernetes benchmark ran and every object came through"
else
  count 0 1 "Kubernetes benchmark"
fi
if make -s -C _build tests/bench/bench_host >/dev/null 2>&1 &&
   _build/tests/bench/bench_host; then
  count 1 0 "host benchmark ran and every line came through"
else
  count 0 1 "host benchmark"
fi
# the real collectd with the plugin and write_prometheus, beside the
# trivial plugin, at 1k to 100k series
if make -s -C _build tests/bench/bench_trivial.la >/dev/null 2>&1 &&
   OM_PLUGIN="$PWD/_build/.libs/operator_metrics.so" \
   OM_TRIVIAL_PLUGIN="$PWD/_build/tests/bench/.libs/bench_trivial.so" \
   python3 tests/bench/bench_collectd.py ${OM_BENCH_SIZES:-1000 10000 50000}; then
  count 1 0 "collectd benchmark ran and collectd served every size"
else
  count 0 1 "collectd benchmark"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
