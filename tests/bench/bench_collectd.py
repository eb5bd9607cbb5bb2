#!/usr/bin/env python3
"""Benchmark: the real collectd 5.12 with operator_metrics and
write_prometheus against controller-runtime shaped targets of 1k, 10k, 50k
and 100k series (tests/e2e/big_target.py), beside a second collectd whose
trivial plugin (tests/bench/bench_trivial.c) dispatches the identical
values. Reports numbers; asserts nothing about time.

For each size:
  - the largest write_prometheus family of operator_metrics (one collectd
    type under one shard's plugin name) in series;
  - seconds until write_prometheus serves every series the first time,
    for operator_metrics and for the trivial plugin;
  - collectd's CPU per delivered value in steady state, both side by side
    (reading a third of an interval apart) over the same window, their
    ratio, and the median of the ratios of single reads; beside them a
    third collectd with the trivial plugin again, the control: its ratio
    to the first trivial one is what two identical collectds differ by on
    this machine (shared machines are noisy); and the context switches
    per 1,000 values of all three;
  - collectd's RSS at 60 s and its slope from 30 s on.

    bench_collectd.py [sizes...]      (default: 1000 10000 50000 100000)

Needs the built plugin (OM_PLUGIN or _build/.libs/operator_metrics.so) and
the trivial plugin (OM_TRIVIAL_PLUGIN or
_build/tests/bench/.libs/bench_trivial.so). Exits non-zero only when a run
could not be measured (a collectd that never served its series).
"""
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
import big_target  # noqa: E402
from harness import (REPO, Collectd, Workdir,  # noqa: E402
                     context_switches, cpu_seconds, rss_mb,
                     slope_per_minute, wait_until)

INTERVAL = 10
PREFIX = "collectd_operator_metrics_"
JOB = "bench-big-target"
# as conf/collectd/operator_metrics.reference.conf recommends
QUEUE_LIMITS = ("WriteQueueLimitHigh 250000\nWriteQueueLimitLow 200000\n" +
                os.environ.get("OM_BENCH_GLOBAL", "").replace(";", "\n"))
STEADY_READS = 6


def trivial_path():
    return os.environ.get("OM_TRIVIAL_PLUGIN", os.path.join(
        REPO, "_build", "tests", "bench", ".libs", "bench_trivial.so"))


FAMILY = re.compile(r"collectd_(operator_metrics(?:_[0-9]+)?)_(.+)")


def wp_lines(collectd):
    """write_prometheus' operator_metrics samples as (host, plugin, type, ds,
    plugin_instance, type_instance), reading the TYPE lines for counters:
    the family collectd_<plugin>_<type>[_total] names the shard's plugin
    name and the type; the label pack is in the instance label (host), the
    label of that plugin name and type."""
    counters = set()
    out = []
    for line in collectd.scrape_raw().decode("utf-8").split("\n"):
        if line.startswith("# TYPE " + PREFIX):
            _, _, name, kind = line.split(" ", 3)
            if kind == "counter":
                counters.add(name)
            continue
        if not line.startswith(PREFIX):
            continue
        name, rest = line.split("{", 1)
        labels = dict(part.split("=", 1) for part in
                      rest.rsplit("}", 1)[0].split('",') if "=" in part)
        plugin, typ = FAMILY.fullmatch(name).groups()
        host = labels.get("instance", "").strip('"')
        pi = labels.get(plugin, "").strip('"')
        ti = labels.get("type", "").strip('"')
        derive = name in counters
        if derive:
            typ = typ[:-len("_total")]
        out.append((host, plugin, typ, "derive" if derive else "gauge", pi,
                    ti))
    return out


def series_key(name, labels):
    return name + "{" + ",".join("%s=%s" % kv for kv in sorted(labels.items())) + "}"


def in_body_order(ids, server, series):
    """The identifiers in the order operator_metrics dispatches them: the
    body's (series it does not scrape, its own, last). The decoding is the
    relabel rules' for these bodies, which hold no commas or slashes."""
    order = {}
    for i, line in enumerate(big_target.body(series).decode().splitlines()):
        head = line.rsplit(" ", 1)[0]
        name, _, rest = head.partition("{")
        labels = dict(p.split("=", 1) for p in rest.rstrip("}").split(",")
                      if p)
        labels = {k: v.strip('"') for k, v in labels.items()}
        labels.update(job=JOB, instance="127.0.0.1:%d" % server.port)
        order[series_key(name, labels)] = i

    def position(ident):
        host, _, name, ds, pi, ti = ident
        if ds == "derive":
            name += "_total"
        pack = host + pi + ti
        labels = dict(p.split("=", 1) for p in pack.split(",") if "=" in p)
        return order.get(series_key(name, labels), len(order))
    return sorted(ids, key=position)


def count_job_series(collectd):
    """How many operator_metrics series of the big target collectd serves."""
    raw = collectd.scrape_raw()
    return sum(1 for line in raw.split(b"\n")
               if line.startswith(PREFIX.encode()) and
               b"job=" + JOB.encode() in line)


def wait_served(collectd, want, timeout, step=1.0):
    """Seconds (since the call) until collectd serves want series of the
    big target, or None."""
    start = time.monotonic()
    try:
        wait_until("%d series served" % want,
                   lambda: count_job_series(collectd) >= want,
                   timeout=timeout, step=step)
    except AssertionError:
        return None
    return time.monotonic() - start


def target_config(server, series):
    return ("MaxSeries %d\n<Target \"%s\">\n  URL \"%s\"\n  MaxSeries %d\n"
            "  Timeout 8\n</Target>\n"
            % (series + 10000, JOB, server.url(series), series + 1000))


def phase_start(server, not_before):
    """A monotonic time of the same read phase as the target's reads,
    after not_before."""
    last = server.last_request
    k = max(0, int((not_before - last) / INTERVAL) + 1)
    return last + k * INTERVAL


def start_trivial(wd, server, series, name, ids_path, offset):
    """A collectd with the trivial plugin that reads offset seconds after
    the target's reads, and the seconds until it serves every series."""
    at = phase_start(server, time.monotonic() + 1) + offset - 0.2
    time.sleep(max(0.0, at - time.monotonic()))
    c = Collectd(
        wd, None, interval=INTERVAL, name="%s-%d" % (name, series),
        plugin_files=[trivial_path()], global_config=QUEUE_LIMITS,
        extra_config='LoadPlugin bench_trivial\n<Plugin bench_trivial>\n'
                     '  File "%s"\n</Plugin>\n' % ids_path)
    return c, wait_served(c, series, timeout=6 * INTERVAL + 60)


def per_value(cpu, k, values):
    """CPU seconds per value of collectd k over the whole window."""
    return (cpu[-1][k] - cpu[0][k]) / values


def median_ratio(cpu, k, base):
    """The median over single intervals of collectd k's CPU against
    collectd base's."""
    ratios = sorted((b[k] - a[k]) / (b[base] - a[base])
                    for a, b in zip(cpu, cpu[1:]) if b[base] > a[base])
    return ratios[len(ratios) // 2] if ratios else 0.0


def bench_size(wd, server, series):
    ours = Collectd(wd, target_config(server, series), interval=INTERVAL,
                    name="om-%d" % series, global_config=QUEUE_LIMITS)
    started = time.monotonic()
    rss = []
    served = wait_served(ours, series, timeout=6 * INTERVAL + 60)
    if served is None:
        ours.stop()
        return None
    ids = in_body_order(wp_lines(ours), server, series)
    per_family = {}
    for _, plugin, typ, _, _, _ in ids:
        per_family[plugin, typ] = per_family.get((plugin, typ), 0) + 1
    ids_path = wd.file("ids-%d.tsv" % series,
                       "".join("\t".join(i) + "\n" for i in ids))
    # the trivial collectd reads a third of an interval after ours, and a
    # second one (the control: what two identical collectds differ by on
    # this machine) two thirds after: each has the machine to itself while
    # it works, as if alone
    trivial, trivial_served = start_trivial(wd, server, series, "trivial",
                                            ids_path, INTERVAL / 3.0)
    control, _ = start_trivial(wd, server, series, "control", ids_path,
                               2 * INTERVAL / 3.0)
    collectds = (ours, trivial, control)
    pids = [c.process.proc.pid for c in collectds]

    def sample_rss_until(t):
        while True:
            rss.append((time.monotonic() - started, rss_mb(pids[0])))
            left = t - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(1.0, left))
    # steady state: STEADY_READS whole intervals of all three, from a sixth
    # of an interval after our reads; each interval holds one read of each
    begin = phase_start(server, time.monotonic()) + INTERVAL / 6.0
    sample_rss_until(begin)
    cpu = [[cpu_seconds(p) for p in pids]]
    cs_begin = [context_switches(p) for p in pids]
    for k in range(1, STEADY_READS + 1):
        sample_rss_until(begin + k * INTERVAL)
        cpu.append([cpu_seconds(p) for p in pids])
    cs_end = [context_switches(p) for p in pids]
    sample_rss_until(started + 61)
    values = len(ids) * STEADY_READS
    at60 = min(rss, key=lambda p: abs(p[0] - 60))[1]
    slope = slope_per_minute([p for p in rss if p[0] >= 30])
    for c in reversed(collectds):
        c.stop()
    return {
        "largest": max(per_family.values()), "families": len(per_family),
        "served": served, "trivial_served": trivial_served,
        "cpu_ours": per_value(cpu, 0, values),
        "cpu_trivial": per_value(cpu, 1, values),
        "cpu_control": per_value(cpu, 2, values),
        "median_ratio": median_ratio(cpu, 0, 1),
        "control_median_ratio": median_ratio(cpu, 2, 1),
        "rss60": at60, "slope": slope,
        "switches": [sum(e) - sum(b) for b, e in zip(cs_begin, cs_end)],
        "steady_values": values,
    }


def report(series, r):
    ratio = r["cpu_ours"] / r["cpu_trivial"] if r["cpu_trivial"] else 0
    control = r["cpu_control"] / r["cpu_trivial"] if r["cpu_trivial"] else 0
    print("bench: collectd %6d series: largest family %4d series (%d "
          "families); "
          "served in %.1f s (%.1f intervals), the trivial plugin's in %s"
          % (series, r["largest"], r["families"], r["served"],
             r["served"] / INTERVAL,
             "%.1f s" % r["trivial_served"] if r["trivial_served"] else
             "never"))
    print("bench: collectd %6d series: steady CPU %.2f us/value, trivial "
          "plugin %.2f us/value: ratio %.2f (median of %d reads %.2f); "
          "control %.2f us/value: ratio %.2f (median %.2f)"
          % (series, r["cpu_ours"] * 1e6, r["cpu_trivial"] * 1e6, ratio,
             STEADY_READS, r["median_ratio"], r["cpu_control"] * 1e6,
             control, r["control_median_ratio"]))
    print("bench: collectd %6d series: RSS at 60 s %.0f MB, slope %+.1f "
          "MB/min; context switches per 1000 values %.0f, trivial plugin "
          "%.0f, control %.0f"
          % ((series, r["rss60"], r["slope"]) +
             tuple(1000.0 * n / r["steady_values"] for n in r["switches"])))
    sys.stdout.flush()


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 50000, 100000]
    for p in (trivial_path(),):
        if not os.path.exists(p):
            sys.exit("bench: %s is not built" % p)
    wd = Workdir("bench-collectd")
    server = big_target.Server()
    failed = 0
    try:
        for n in sizes:
            r = bench_size(wd, server, n)
            if r is None:
                print("bench: collectd %6d series: never fully served" % n)
                failed += 1
            else:
                report(n, r)
    finally:
        server.stop()
        wd.cleanup()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
