#!/usr/bin/env python3
"""End-to-end: big targets through collectd 5.12, write_prometheus and
Prometheus 2.42 with the relabel rules.

- A 50,000-series controller-runtime endpoint beside a small target, at
  Interval 10 and the defaults: every series arrives in Prometheus with
  its documented name and labels, no collectd type holds more than about
  1,000 of them, the whole target is served within two intervals, and the
  small target's `up` arrives at every interval throughout.
- A 100,000-series endpoint with the defaults at Interval 2: the target is
  cut at its MaxSeries (series_limited 1, up 1), collectd's memory stays
  flat after the first minute, and the small target's `up` stays fresh at
  every interval.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import big_target  # noqa: E402
from harness import (Collectd, Prometheus, Workdir, pack_of, rss_mb,  # noqa: E402
                     run_suite, scrape_config, target_block, wait_until)

SMALL = "small-target"
BIG = "big-target"
SYNTHETIC = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
             "scrape_samples_post_metric_relabeling"}
# as conf/collectd/operator_metrics.reference.conf sets them
QUEUE_LIMITS = "WriteQueueLimitHigh 250000\nWriteQueueLimitLow 200000\n"


class Env:
    """The endpoints; each test starts its own collectd and Prometheus."""

    def __init__(self, wd):
        self.wd = wd
        self.server = big_target.Server()

    def stop(self):
        self.server.stop()


def instance_of(server):
    return "127.0.0.1:%d" % server.port


def expected_series(server, n):
    """The series of an n-series body as Prometheus must hold them:
    frozensets of (label, value) with __name__, job and instance."""
    out = set()
    for line in big_target.body(n).decode().splitlines():
        head = line.rsplit(" ", 1)[0]
        name, _, rest = head.partition("{")
        labels = {"__name__": name, "job": BIG,
                  "instance": instance_of(server)}
        for pair in rest.rstrip("}").split('",') if rest else ():
            k, v = pair.split("=", 1)
            labels[k] = v.strip('"')
        out.add(frozenset(labels.items()))
    return out


def collectd_with(e, name, series, interval):
    blocks = (target_block(BIG, e.server.url(series)) +
              target_block(SMALL, e.server.url(50)))
    return Collectd(e.wd, blocks, interval=interval, name=name,
                    global_config=QUEUE_LIMITS)


def small_watcher(e, collectd, interval):
    """A Prometheus that keeps only the small target's samples, with
    collectd's own timestamps: one point per read of the block."""
    return Prometheus(e.wd, "watch-" + collectd.name, scrape_config(
        "collectd", "127.0.0.1:%d" % collectd.port, relabel=True,
        honor_timestamps=True, keep_pack="(?s).*job=%s.*" % SMALL),
        interval=interval)


def assert_up_every_read(prom, interval, since, until):
    """up of the small target: 1 at every read from since to until (unix
    seconds), no gap longer than 1.5 intervals."""
    window = int(until - since) + 1
    res = prom.raw_points('up{job="%s"}[%ds]' % (SMALL, window), until)
    assert res, "no up of %s at all" % SMALL
    points = sorted(res[0][1])
    stamps = [t for t, v in points]
    assert all(v == 1 for _, v in points), points
    assert stamps[0] <= since + 1.5 * interval, (since, stamps[:3])
    assert stamps[-1] >= until - 1.5 * interval, (until, stamps[-3:])
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert len(gaps) >= 2 and max(gaps) <= 1.5 * interval, (
        "gaps of up: %s" % gaps)
    return len(stamps)


def family_sizes(collectd):
    """Series per write_prometheus family of operator_metrics."""
    sizes = {}
    for name, _, _, _ in collectd.samples():
        if name.startswith("collectd_operator_metrics_"):
            sizes[name] = sizes.get(name, 0) + 1
    return sizes


def big_series_served(collectd):
    raw = collectd.scrape_raw()
    return sum(1 for line in raw.split(b"\n")
               if line.startswith(b"collectd_operator_metrics_") and
               b"job=" + BIG.encode() in line)


def test_50k_target_every_series_arrives(e):
    interval = 10
    want = expected_series(e.server, 50000)
    c = collectd_with(e, "collectd-50k", 50000, interval)
    watch = via = None
    try:
        started = time.time()
        watch = small_watcher(e, c, "2s")
        # all 50,000 plus the block's own six with a job label (up, three
        # scrape_*, series_limited, malformed lines) within two intervals
        wait_until("50,000 series in write_prometheus",
                   lambda: big_series_served(c) == 50000 + 6,
                   timeout=2 * interval + 5, step=1.0)
        served_after = time.time() - started
        sizes = family_sizes(c)
        assert max(sizes.values()) <= 1000, max(sizes.values())
        via = Prometheus(e.wd, "via-50k", scrape_config(
            "collectd", "127.0.0.1:%d" % c.port, relabel=True),
            interval="10s")

        def arrived():
            got = via.api("series", **{"match[]": '{job="%s"}' % BIG})
            return [s for s in got if s["__name__"] not in SYNTHETIC and
                    not s["__name__"].startswith("operator_metrics_")]
        got = wait_until("the 50,000 series in Prometheus",
                         lambda: (lambda s: s if len(s) >= 50000 else None)(
                             arrived()), timeout=60, step=2.0)
        got = {frozenset(s.items()) for s in got}
        assert got == want, ("%d missing, %d unexpected, e.g. %s / %s" % (
            len(want - got), len(got - want),
            sorted(want - got)[:1], sorted(got - want)[:1]))
        limited = via.query('operator_metrics_series_limited{job="%s"}' % BIG)
        assert limited and limited[0][1] == 0, limited
        # the small target through all of it, and a few reads more
        time.sleep(max(0.0, started + 6 * interval - time.time()))
        reads = assert_up_every_read(watch, interval, started + interval,
                                     time.time())
        assert reads >= 4, reads
        print("    50k: served in %.1f s, largest family %d series, %d reads "
              "of the small target seen" % (served_after, max(sizes.values()),
                                            reads))
    finally:
        for p in (via, watch):
            if p is not None:
                p.stop()
        c.stop()


def test_100k_target_bounded(e):
    interval = 2
    c = collectd_with(e, "collectd-100k", 100000, interval)
    watch = None
    try:
        started = time.time()
        pid = c.process.proc.pid
        watch = small_watcher(e, c, "1s")
        rss = []
        while time.time() - started < 150:
            rss.append((time.time() - started, rss_mb(pid)))
            time.sleep(2)
        late = [m for t, m in rss if t >= 60]
        low, high = min(late), max(late)
        print("    100k: RSS %.0f MB at 60 s, %.0f to %.0f MB after" % (
            min(rss, key=lambda p: abs(p[0] - 60))[1], low, high))
        # no growth: the floor of the last half is that of the first (a
        # read's burst comes and goes between them), and the bursts stay
        # within a quarter of it
        half = len(late) // 2
        first, last = min(late[:half]), min(late[half:])
        assert last <= 1.1 * first, "RSS floor grew from %.0f to %.0f MB: %s" % (
            first, last, rss)
        assert high <= 1.25 * first, "RSS reached %.0f MB over %.0f: %s" % (
            high, first, rss)
        reads = assert_up_every_read(watch, interval, started + 60,
                                     time.time())
        assert reads >= 40, reads
        # the big one: up, cut at its MaxSeries, said so
        def value(family, job):
            for name, labels, v, _ in c.samples():
                pack = pack_of(labels)
                if name.endswith("_" + family) and "job=%s" % job in pack:
                    return v
            return None
        assert value("up", BIG) == 1
        assert value("operator_metrics_series_limited", BIG) == 1
        assert value("scrape_samples_post_metric_relabeling", BIG) == 50000
        assert value("operator_metrics_series_limited", SMALL) == 0
        log = c.log()
        assert log.count("more series than the block's MaxSeries 50000") == 1
    finally:
        if watch is not None:
            watch.stop()
        c.stop()


TESTS = [
    test_50k_target_every_series_arrives,
    test_100k_target_bounded,
]
if os.environ.get("OM_BIG_TESTS"):  # one of them, by name
    TESTS = [t for t in TESTS if t.__name__ == os.environ["OM_BIG_TESTS"]]


if __name__ == "__main__":
    sys.exit(run_suite("e2e.big_targets", Env, TESTS))
