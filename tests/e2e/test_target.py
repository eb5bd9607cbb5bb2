#!/usr/bin/env python3
"""End to end: the <Target> collector in the real collectd 5.12 with
write_prometheus, judged by a real Prometheus 2.42 that uses the shipped
relabel snippet ("via collectd"), against a second Prometheus that scrapes
the same operator endpoint directly ("direct", under the same job name).

The operator endpoint is tests/e2e/fixture_server.py serving a realistic
controller-runtime exposition over HTTPS with a test CA, plus misbehaving
variants over HTTP.
"""
import re
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import big_target  # noqa: E402
import exposition  # noqa: E402
from harness import (PKI, REPO, Collectd, Fixture, Prometheus,  # noqa: E402
                     Workdir, assert_config_refused, pack_of, run_suite,
                     scrape_config, target_block, wait_until)

JOB = "datum-controller-manager-metrics"
# series only one side has: Prometheus' scrape_series_added, and the family
# outside every catalog, which the plugin passes only when Include asks
# (test_uncatalogued_family_with_include); our self-metrics only via collectd
ONLY_DIRECT = {"scrape_series_added", "datum_quota_usage_ratio"}
SELF_PREFIX = "operator_metrics_"
# a block's label rules, and what Prometheus does with the same rules
RULES_JOB = "rules"
RULES = [("DropSeries", ("__name__", "go_.*")), ("LabelKeep", ("[^q].*",)),
         ("LabelDrop", ("host",)), ("DropSeries", ("controller", "organization"))]
RULES_DIRECT = [("drop", "__name__", "go_.*"), ("labelkeep", None, "[^q].*"),
                ("labeldrop", None, "host"),
                ("drop", "controller", "organization")]
SYNTHETIC = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
             "scrape_samples_post_metric_relabeling", "scrape_series_added"}


def target_blocks(e):
    s1, s2, s3, s4, s5 = e.s1, e.s2, e.s3, e.s4, e.s5
    ca, pki = e.pki.ca, e.pki

    block = target_block
    catalogued = ('Exclude "controller_runtime_*" "workqueue_*" "go_*" '
                  '"process_*" "rest_client_*" "certwatcher_*" '
                  '"leader_election_*"')
    return "".join([
        block(JOB, s1.url("/metrics"), 'CACert "%s"' % ca,
              'HealthURL "%s"' % s1.url("/healthz"),
              'ReadyURL "%s"' % s1.url("/readyz")),
        block("quota", s1.url("/metrics"), 'CACert "%s"' % ca,
              'Job "datum-quota"', 'Include "datum_*"', catalogued,
              'Label "cluster" "eu-1"'),
        block("probes", s1.url("/metrics"), 'CACert "%s"' % ca,
              'HealthURL "%s"' % s1.url("/healthz"),
              'ReadyURL "%s"' % s1.url("/fail"), 'Exclude "*"'),
        block("edge", s2.url("/edge"), 'Include "edge_*"'),
        block("bad", s2.url("/bad"), 'Include "bad_*"'),
        block("garbage", s2.url("/garbage")),
        block("huge", s2.url("/huge"), "MaxResponseBytes 1000000"),
        block("huge-announced", s2.url("/huge?plain=1"),
              "MaxResponseBytes 1000000"),
        block("truncated", s2.url("/truncated")),
        block("redirect-off", s2.url("/redirect")),
        block("redirect-on", s2.url("/redirect"), "FollowRedirects true",
              'Exclude "*"'),
        block("slow", s2.url("/slow?s=30"), "Timeout 0.5"),
        block("wrong-ca", s1.url("/metrics"), 'CACert "%s"' % pki.other_ca),
        block("system-ca", s1.url("/metrics")),
        block("no-verify", s1.url("/metrics"), "VerifyPeer false",
              "VerifyHost false", 'Exclude "*"'),
        block("every-2s", s2.url("/metrics"), "Interval 2", 'Exclude "*"'),
        block("mtls-ok", s3.url("/metrics"), 'CACert "%s"' % ca,
              'ClientCert "%s"' % pki.client, 'ClientKey "%s"' % pki.client_key,
              'Exclude "*"'),
        block("mtls-missing", s3.url("/metrics"), 'CACert "%s"' % ca,
              'Exclude "*"'),
        block("token", s4.url("/metrics"),
              'BearerTokenFile "%s"' % e.client_token, 'Exclude "*"',
              'HealthURL "%s"' % s4.url("/healthz")),
        block("stoppable", s5.url("/metrics"), 'Exclude "*"'),
        block("capped", s2.url("/edge"), 'Include "edge_*"', "MaxSeries 10"),
        block("honor-on", s2.url("/conflict"), 'Include "conflict_*"'),
        block("honor-off", s2.url("/conflict"), 'Include "conflict_*"',
              "HonorLabels false"),
        block(RULES_JOB, s1.url("/metrics"), 'CACert "%s"' % ca,
              *['%s %s' % (opt, " ".join('"%s"' % a for a in args))
                for opt, args in RULES]),
    ])


class Env:
    """Everything the tests share, started once."""

    def __init__(self, wd):
        self.wd = wd
        self.pki = PKI(wd)
        self.server_token = wd.file("server-token", "tok-first-1234\n")
        self.client_token = wd.file("client-token", "tok-first-1234\n", 0o600)
        self.s1 = Fixture(wd, "https", pki=self.pki)
        self.s2 = Fixture(wd, "http")
        self.s3 = Fixture(wd, "mtls", pki=self.pki, client_ca=True)
        self.s4 = Fixture(wd, "token", token_file=self.server_token)
        self.s5 = Fixture(wd, "stoppable")
        self.collectd = Collectd(wd, target_blocks(self))
        self.collectd.wait_ready()
        self.via = Prometheus(wd, "via-collectd", scrape_config(
            "collectd", "127.0.0.1:%d" % self.collectd.port, relabel=True))
        self.direct = Prometheus(wd, "direct", scrape_config(
            JOB, self.s1.instance(), scheme="https", ca_file=self.pki.ca) +
            scrape_config(RULES_JOB, self.s1.instance(), scheme="https",
                          ca_file=self.pki.ca, metric_relabel=RULES_DIRECT))
        # enough points in both for rate() over the seeds' [5m] windows
        for p in (self.via, self.direct):
            wait_until("8 samples of reconcile_total in " + p.process.name,
                       lambda p=p: len(p.raw_points(
                           'controller_runtime_reconcile_total{job="%s",'
                           'controller="workload",result="success"}[5m]'
                           % JOB, time.time())[0][1]) >= 8, timeout=60)

    def stop(self):
        for p in ("via", "direct", "collectd", "s1", "s2", "s3", "s4", "s5"):
            if hasattr(self, p):
                getattr(self, p).stop()


def series_set(results, skip):
    out = {}
    for labels, value in results:
        if labels["__name__"] in skip or labels["__name__"].startswith(
                SELF_PREFIX):
            continue
        out[frozenset(labels.items())] = value
    return out


def collectd_value(collectd, family, **want):
    """The newest value of a family straight from write_prometheus,
    decoding the simple packs of up/scrape_*/self-metrics."""
    for name, labels, value, ts in collectd.samples():
        if not re.fullmatch(r"collectd_operator_metrics_(?:[0-9]+_)?%s"
                            r"(?:_total)?" % re.escape(family), name):
            continue
        pack = pack_of(labels)
        pairs = dict(p.split("=", 1) for p in pack.split(",") if "=" in p)
        if all(pairs.get(k) == v for k, v in want.items()):
            return value, ts
    return None, None


# --- names and labels ------------------------------------------------------

def test_series_identical_to_direct_scrape(e):
    sel = '{job="%s"}' % JOB
    via = series_set(e.via.query(sel), set())
    direct = series_set(e.direct.query(sel), ONLY_DIRECT)
    missing = set(direct) - set(via)
    extra = set(via) - set(direct)
    assert not missing and not extra, (
        "%d missing via collectd, e.g. %s; %d extra, e.g. %s" % (
            len(missing), [dict(m) for m in list(missing)[:3]], len(extra),
            [dict(x) for x in list(extra)[:3]]))
    assert len(via) > 300, "only %d series" % len(via)
    constant = ("workqueue_depth", "controller_runtime_max_concurrent_reconciles",
                "leader_election_master_status", "go_goroutines", "go_info",
                "process_max_fds", "go_memstats_alloc_bytes",
                "go_gc_gomemlimit_bytes", "process_virtual_memory_max_bytes")
    # write_prometheus 5.12 prints gauges with 15 significant digits
    for key, value in direct.items():
        if dict(key)["__name__"] in constant:
            assert math.isclose(via[key], value, rel_tol=1e-14), (
                "%s: %s via collectd, %s direct" % (dict(key), via[key], value))


def test_label_rules_as_prometheus_applies_them(e):
    """LabelDrop, LabelKeep and DropSeries in a <Target> leave the same
    series as Prometheus' labeldrop, labelkeep and drop on a direct
    scrape."""
    sel = '{job="%s"}' % RULES_JOB
    via = series_set(e.via.query(sel), set())
    direct = series_set(e.direct.query(sel), ONLY_DIRECT)
    assert set(via) == set(direct), (
        "%d only via collectd, e.g. %s; %d only direct, e.g. %s" % (
            len(set(via) - set(direct)),
            [dict(x) for x in list(set(via) - set(direct))[:2]],
            len(set(direct) - set(via)),
            [dict(x) for x in list(set(direct) - set(via))[:2]]))
    names = {dict(k)["__name__"] for k in via}
    labels = {n for k in via for n, _ in k}
    assert len(via) > 100 and "rest_client_requests_total" in names, names
    assert not [n for n in names if n.startswith("go_")], names
    assert "host" not in labels and "quantile" not in labels, labels
    assert not [k for k in via if dict(k).get("controller") == "organization"]


def test_documented_label_names(e):
    expect = {
        "controller_runtime_reconcile_total": {"controller", "result"},
        "controller_runtime_reconcile_errors_total": {"controller"},
        "controller_runtime_reconcile_time_seconds_bucket": {"controller", "le"},
        "controller_runtime_reconcile_time_seconds_count": {"controller"},
        "workqueue_depth": {"name", "controller"},  # priority="" is absent
        "workqueue_adds_total": {"name", "controller"},
        "workqueue_queue_duration_seconds_bucket": {"name", "controller", "le"},
        "leader_election_master_status": {"name"},
        "rest_client_requests_total": {"code", "method", "host"},
        "controller_runtime_webhook_requests_total": {"webhook", "code"},
        "go_gc_duration_seconds": {"quantile"},
        "go_info": {"version"},
        "certwatcher_read_certificate_total": set(),
        "process_cpu_seconds_total": set(),
        "up": set(),
    }
    for name, labels in expect.items():
        res = e.via.query('%s{job="%s"}' % (name, JOB))
        assert res, "%s missing" % name
        for metric, _ in res:
            got = set(metric) - {"__name__", "job", "instance"}
            assert got == labels, "%s has labels %s, documented %s" % (
                name, sorted(got), sorted(labels))
            assert metric["instance"] == e.s1.instance(), metric


# --- the seeds' queries --------------------------------------------------

GAUGE_QUERIES = [
    "workqueue_depth",
    "workqueue_depth > 100",
    'workqueue_depth{name=~"organization|workload"}',
    "sum(workqueue_depth)",
    "max(workqueue_depth)",
    'absent(up{job="%s"})' % JOB,
    'go_memstats_alloc_bytes{job="%s"} > 1e9' % JOB,
    'go_memstats_alloc_bytes{job="%s"}' % JOB,
    "leader_election_master_status",
    "leader_election_master_status == 0",
    "go_goroutines",
    "process_open_fds",
    'up{job="%s"}' % JOB,
    'up{job="%s"} == 0' % JOB,
]

# (query, whether it returns series on this data); the error ratio of the
# Datum alert divides series with different label sets, so it is empty
# whether Prometheus scrapes the operator directly or through collectd.
RATE_QUERIES = [
    ("rate(controller_runtime_reconcile_total[5m])", True),
    ("sum by (controller) (rate(controller_runtime_reconcile_total[5m]))",
     True),
    ("sum by (controller) (rate(controller_runtime_reconcile_errors_total"
     "[5m]))", True),
    ("sum(rate(controller_runtime_reconcile_total[5m])) by "
     "(controller, result)", True),
    ("rate(controller_runtime_reconcile_errors_total[5m]) / "
     "rate(controller_runtime_reconcile_total[5m])", False),
    ("(rate(controller_runtime_reconcile_errors_total[5m]) / "
     "rate(controller_runtime_reconcile_total[5m])) > 0.1", False),
    ("sum by (controller) (rate(controller_runtime_reconcile_errors_total"
     "[5m])) / sum by (controller) (rate(controller_runtime_reconcile_total"
     "[5m])) > 0.1", True),
    ("rate(controller_runtime_reconcile_total[5m]) == 0", True),
    ("rate(controller_runtime_reconcile_time_seconds_sum[5m]) / "
     "rate(controller_runtime_reconcile_time_seconds_count[5m])", True),
    ("histogram_quantile(0.95, sum by (controller, le) "
     "(rate(controller_runtime_reconcile_time_seconds_bucket[5m])))", True),
    ("histogram_quantile(0.99, sum(rate("
     "controller_runtime_reconcile_time_seconds_bucket[5m])) by "
     "(le, controller))", True),
    ("histogram_quantile(0.95, rate("
     "controller_runtime_reconcile_time_seconds_bucket[5m]))", True),
    ('rate(process_cpu_seconds_total{job=~"%s"}[5m]) * 100' % JOB, True),
]


def now_ms():
    """Prometheus evaluates at millisecond precision."""
    return round(time.time(), 3)


def test_seed_gauge_queries_same_as_direct(e):
    at = now_ms()
    for q in GAUGE_QUERIES:
        via = {frozenset(m.items()): v for m, v in e.via.query(q, at)}
        direct = {frozenset(m.items()): v for m, v in e.direct.query(q, at)}
        assert via == direct, "%s: via collectd %s, direct %s" % (
            q, [(dict(k), v) for k, v in list(via.items())[:3]],
            [(dict(k), v) for k, v in list(direct.items())[:3]])
    assert [v for _, v in e.via.query(
        'workqueue_depth{job="%s"} > 100' % JOB, at)] == [150]


def test_seed_rate_queries_same_series_as_direct(e):
    at = now_ms()
    for q, non_empty in RATE_QUERIES:
        via = {frozenset(m.items()) for m, _ in e.via.query(q, at)}
        direct = {frozenset(m.items()) for m, _ in e.direct.query(q, at)}
        assert via == direct, "%s: series differ: via %s direct %s" % (
            q, [dict(x) for x in list(via)[:3]],
            [dict(x) for x in list(direct)[:3]])
        assert bool(via) == non_empty, "%s: %d series" % (q, len(via))


def test_histogram_quantile_values(e):
    q = ("histogram_quantile(0.95, sum by (controller, le) "
         "(rate(controller_runtime_reconcile_time_seconds_bucket[5m])))")
    for p in (e.via, e.direct):
        got = {m["controller"]: v for m, v in p.query(q)}
        for c, (lo, hi) in exposition.RECONCILE_BUCKET.items():
            want = lo + 0.95 * (hi - lo)
            assert abs(got[c] - want) < 1e-9, "%s p95 %s, want %s (%s)" % (
                c, got[c], want, p.process.name)


def extrapolated_rate(points, at, window):
    """PromQL's rate() of one counter series without resets, from its raw
    points, as Prometheus documents and implements it (in milliseconds)."""
    ms = [(round(t * 1000), v) for t, v in points]
    (t0, v0), (tn, vn) = ms[0], ms[-1]
    at_ms = round(at * 1000)
    delta = vn - v0
    sampled = (tn - t0) / 1000
    avg = sampled / (len(ms) - 1)
    to_start = (t0 - (at_ms - window * 1000)) / 1000
    to_end = (at_ms - tn) / 1000
    threshold = avg * 1.1
    if to_start >= threshold:
        to_start = avg / 2
    if delta > 0 and v0 >= 0:
        to_start = min(to_start, sampled * (v0 / delta))
    if to_end >= threshold:
        to_end = avg / 2
    return delta * (sampled + to_start + to_end) / sampled / window


def test_reconcile_rate_values(e):
    at = now_ms()
    q = ('sum by (controller) (rate(controller_runtime_reconcile_total'
         '{job="%s"}[5m]))' % JOB)
    got = {m["controller"]: v for m, v in e.via.query(q, at)}
    raw = e.via.raw_points('controller_runtime_reconcile_total{job="%s"}[5m]'
                           % JOB, at)
    want, slope = {}, {}
    for metric, points in raw:
        c = metric["controller"]
        want[c] = want.get(c, 0) + extrapolated_rate(points, at, 300)
        (t0, v0), (tn, vn) = points[0], points[-1]
        slope[c] = slope.get(c, 0) + (vn - v0) / (tn - t0)
    for c in exposition.CONTROLLERS:
        assert math.isclose(got[c], want[c], rel_tol=1e-6), (
            "%s: rate %s, extrapolated from raw points %s" % (c, got[c],
                                                              want[c]))
        configured = (exposition.RECONCILE_RATE[c] + exposition.ERROR_RATE[c] +
                      exposition.REQUEUE_RATE)
        assert abs(slope[c] - configured) / configured < 0.1, (
            "%s: counters grow %.2f/s, the operator reconciles %.2f/s" % (
                c, slope[c], configured))


def test_absent_and_up(e):
    assert e.via.query('absent(up{job="%s"})' % JOB) == []
    assert e.via.query('absent(up{job="never-configured"})') == [
        ({"job": "never-configured"}, 1.0)]
    assert e.via.query('up{job="%s"}' % JOB)[0][1] == 1


def test_scrape_families(e):
    sel = '{job="%s",instance="%s"}' % (JOB, e.s1.instance())
    scraped = e.via.query("scrape_samples_scraped" + sel)[0][1]
    direct = e.direct.query("scrape_samples_scraped" + sel)[0][1]
    assert scraped == direct, "samples scraped %s, Prometheus counts %s" % (
        scraped, direct)
    post = e.via.query("scrape_samples_post_metric_relabeling" + sel)[0][1]
    passed = [m for m, _ in e.via.query('{job="%s"}' % JOB)
              if m["__name__"] not in SYNTHETIC and
              not m["__name__"].startswith(SELF_PREFIX)]
    assert post == len(passed) == scraped - 2, (
        "post relabeling %s, series %d, scraped %s (2 uncatalogued)" % (
            post, len(passed), scraped))
    duration = e.via.query("scrape_duration_seconds" + sel)[0][1]
    assert 0 < duration < 1, duration


# --- selection and labels ------------------------------------------------

def test_uncatalogued_family_with_include(e):
    res = e.via.query('{job="datum-quota"}')
    fams = {m["__name__"] for m, _ in res
            if not m["__name__"].startswith(SELF_PREFIX)} - SYNTHETIC
    assert fams == {"datum_quota_usage_ratio"}, fams
    got = {(m["project"], m["resource"]): v for m, v in res
           if m["__name__"] == "datum_quota_usage_ratio"}
    assert got == {("alpha", "cpu"): 0.25, ("beta", "memory"): 0.5}, got
    for m, _ in res:
        if m["__name__"] == "datum_quota_usage_ratio":
            assert set(m) == {"__name__", "project", "resource", "job",
                              "instance", "cluster"}, m
            assert m["cluster"] == "eu-1", m
    assert not e.via.query('datum_quota_usage_ratio{job="%s"}' % JOB)


def test_edge_label_values_survive(e):
    _, values = exposition.edge_cases()
    res = e.via.query('edge_case_info{job="edge"}')
    got = {m["case"]: m["value"] for m, _ in res}
    assert got == dict(values), "decoded %s" % got


def test_counter_up_to_63_bits(e):
    # 2^63 - 1 is a count a DERIVE holds: it is passed on, not dropped as
    # non_integer_counter. (The plugin dispatches it exactly, as the unit
    # suite shows; write_prometheus and Prometheus hold it as a float.)
    v, _ = collectd_value(e.collectd, "certwatcher_read_certificate_errors",
                          job="bad")
    assert v == float(2 ** 63 - 1), v
    res = e.via.query('certwatcher_read_certificate_errors_total{job="bad"}')
    assert len(res) == 1 and res[0][1] == float(2 ** 63 - 1), res


def test_honor_labels(e):
    on = e.via.query('conflict_info{job="scraped"}')
    assert len(on) == 1 and on[0][0]["zone"] == "a", on
    assert "exported_job" not in on[0][0]
    off = e.via.query('conflict_info{job="honor-off"}')
    assert len(off) == 1 and off[0][0]["exported_job"] == "scraped", off


# --- bad input -------------------------------------------------------------

def test_bad_samples_dropped_and_counted(e):
    body, drops, malformed = exposition.bad_samples()
    got = {m["case"]: v for m, v in e.via.query('bad_case{job="bad"}')}
    assert got == {"fine": 1, "fine2": 2}, got
    assert e.via.query('up{job="bad"}')[0][1] == 1

    def consistent():
        base, _ = collectd_value(e.collectd, "operator_metrics_dropped_samples",
                                 block="bad", reason="pack_too_long")
        if not base:
            return False
        for reason, per_scrape in drops.items():
            v, _ = collectd_value(e.collectd, "operator_metrics_dropped_samples",
                                  block="bad", reason=reason)
            if v != base * per_scrape:
                return False
        lines, _ = collectd_value(e.collectd, "operator_metrics_malformed_lines",
                                  job="bad")
        return lines == base * malformed
    wait_until("drop counters in the per-scrape proportions", consistent,
               timeout=10)
    for reason in ("duplicate_series", "series_limit", "invalid_label_name",
                   "non_integer_counter"):
        v, _ = collectd_value(e.collectd, "operator_metrics_dropped_samples",
                              block="bad", reason=reason)
        assert v == 0, "%s: %s" % (reason, v)
    log = e.collectd.log()
    assert ("operator_metrics(target/bad): %s: skipped 4 malformed line(s); "
            "the first is line 8, byte 6: invalid sample value"
            % e.s2.url("/bad")) in log, log[-2000:]
    assert ("operator_metrics(target/bad): dropped 5 sample(s) that cannot "
            "be passed on") in log


def test_unusable_endpoints_report_up_0(e):
    reasons = {
        "garbage": "answered without a single valid sample line",
        "huge": "response body exceeds MaxResponseBytes (1000000 bytes)",
        "huge-announced": "response announces more than MaxResponseBytes",
        "truncated": "scrape of %s failed" % e.s2.url("/truncated"),
        "redirect-off": "HTTP status 302",
        "wrong-ca": "certificate",
        "system-ca": "certificate",
        "mtls-missing": "scrape of %s failed" % e.s3.url("/metrics"),
        "slow": "timed out after",
    }
    log = e.collectd.log()
    for job, reason in reasons.items():
        res = e.via.query('up{job="%s"}' % job)
        assert res and res[0][1] == 0, "%s: up %s" % (job, res)
        assert e.via.query('scrape_samples_post_metric_relabeling{job="%s"}'
                           % job)[0][1] == 0
        lines = [l for l in log.splitlines()
                 if "operator_metrics(target/%s):" % job in l]
        assert any(reason in l for l in lines), "%s: no log line with %r in %s" % (
            job, reason, lines[:3])
    for job in ("redirect-on", "mtls-ok", "token", "no-verify"):
        assert e.via.query('up{job="%s"}' % job)[0][1] == 1, job


def test_gzip_accepted(e):
    stats = e.s1.stats()
    assert stats["gzip_served"] > 0, stats
    assert stats["requests"].get("/metrics", 0) > 0, stats


# --- authentication --------------------------------------------------------

def test_bearer_token_rotation(e):
    assert collectd_value(e.collectd, "up", job="token")[0] == 1
    with open(e.server_token, "w") as f:
        f.write("tok-second-5678\n")
    wait_until("up 0 once the server wants another token",
               lambda: collectd_value(e.collectd, "up", job="token")[0] == 0,
               timeout=10)
    with open(e.client_token, "w") as f:
        f.write("tok-second-5678\n")
    wait_until("up 1 with the rotated token, without a restart",
               lambda: collectd_value(e.collectd, "up", job="token")[0] == 1,
               timeout=10)
    stats = e.s4.stats()
    assert stats["auth_rejected"] > 0 and stats["auth_accepted"] > 0, stats
    log = e.collectd.log()
    assert "tok-first" not in log and "tok-second" not in log
    assert "HTTP status 401" in log


def test_probes(e):
    def probe(job, name):
        res = e.via.query('operator_metrics_probe_success{job="%s",probe="%s"}'
                          % (job, name))
        return res[0][1] if res else None
    assert probe(JOB, "health") == 1 and probe(JOB, "ready") == 1
    assert probe("probes", "health") == 1 and probe("probes", "ready") == 0
    # the token goes to URL only: this fixture wants it on /healthz too
    assert probe("token", "health") == 0
    assert "ready probe of %s failed: HTTP status 503" % e.s1.url("/fail") in (
        e.collectd.log())


def test_max_series(e):
    post = e.via.query('scrape_samples_post_metric_relabeling{job="capped"}')
    assert post[0][1] == 10, post
    assert len([m for m, _ in e.via.query('{job="capped"}')
                if m["__name__"] not in SYNTHETIC and
                not m["__name__"].startswith(SELF_PREFIX)]) == 10
    v, _ = collectd_value(e.collectd, "operator_metrics_dropped_samples",
                          block="capped", reason="series_limit")
    assert v and v > 0, v
    limited = {m["job"]: v for m, v in
               e.via.query("operator_metrics_series_limited")}
    assert limited.get("capped") == 1 and limited.get(JOB) == 0, limited
    assert e.via.query('up{job="capped"}')[0][1] == 1
    log = e.collectd.log()
    assert log.count("operator_metrics(target/capped): %s: more series than "
                     "the block's MaxSeries 10" % e.s2.url("/edge")) == 1, (
        log[-2000:])


def test_plugin_max_series(e):
    """The plugin-wide MaxSeries cuts a target that the block's own would
    not: up stays 1, series_limited is 1, the cut is counted under
    plugin_series_limit and logged once."""
    wd = Workdir("plugin-max-series")
    server = big_target.Server()
    try:
        c = Collectd(wd, "MaxSeries 300\n" + target_block(
            "big", server.url(1000)), name="collectd-budget")
        try:
            def cut():
                post, _ = collectd_value(
                    c, "scrape_samples_post_metric_relabeling", job="big")
                limited, _ = collectd_value(
                    c, "operator_metrics_series_limited", job="big")
                dropped, _ = collectd_value(
                    c, "operator_metrics_dropped_samples", block="big",
                    reason="plugin_series_limit")
                return (post, limited, dropped) if dropped else None
            post, limited, dropped = wait_until("a cut read", cut, timeout=20)
            assert (post, limited) == (300, 1), (post, limited)
            assert dropped % 700 == 0, dropped
            assert collectd_value(c, "up", job="big")[0] == 1
            own, _ = collectd_value(c, "operator_metrics_dropped_samples",
                                    block="big", reason="series_limit")
            assert own == 0, own
            served = sum(1 for _, labels, _, _ in c.samples()
                         if "job=big" in pack_of(labels))
            assert 300 <= served <= 300 + 30, served
            wait_until("a third read", lambda: server.requests >= 3)
            log = c.log()
            line = ("operator_metrics(target/big): %s: the plugin-wide "
                    "MaxSeries 300 leaves this block 300 series"
                    % server.url(1000).split("?")[0])
            assert log.count(line) == 1, log[-2000:]
        finally:
            c.stop()
    finally:
        server.stop()
        wd.cleanup()


# --- timing ------------------------------------------------------------------

def watch_up(e, jobs, seconds):
    """Distinct (timestamp, value) of up per job, read from write_prometheus."""
    seen = {j: {} for j in jobs}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for j in jobs:
            v, ts = collectd_value(e.collectd, "up", job=j)
            if ts is not None:
                seen[j][ts] = v
        time.sleep(0.2)
    return seen


def assert_every_interval(seen, job, value):
    stamps = sorted(seen[job])
    assert len(stamps) >= 4, "%s: only %d reads seen" % (job, len(stamps))
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert max(gaps) <= 1600, "%s: gaps %s ms (read back-off?)" % (job, gaps)
    assert all(seen[job][t] == value for t in stamps), (job, seen[job])


def test_slow_target_delays_nobody(e):
    seen = watch_up(e, [JOB, "slow", "huge"], 6)
    assert_every_interval(seen, JOB, 1)
    assert_every_interval(seen, "slow", 0)
    assert_every_interval(seen, "huge", 0)


def test_block_interval(e):
    seen = watch_up(e, ["every-2s"], 7)
    stamps = sorted(seen["every-2s"])
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert len(stamps) >= 3 and all(1600 <= g <= 2400 for g in gaps), (
        "Interval 2 block read at gaps of %s ms" % gaps)


def test_stopped_endpoint(e):
    assert collectd_value(e.collectd, "up", job="stoppable")[0] == 1
    e.s5.stop()
    wait_until("up 0 at the next interval",
               lambda: collectd_value(e.collectd, "up", job="stoppable")[0] == 0,
               timeout=3)
    seen = watch_up(e, ["stoppable", JOB], 6)
    assert_every_interval(seen, "stoppable", 0)
    assert_every_interval(seen, JOB, 1)
    assert "scrape of %s failed" % e.s5.url("/metrics") in e.collectd.log()
    wait_until("Prometheus to see up 0", lambda: e.via.query(
        'up{job="stoppable"} == 0'), timeout=10)
    assert e.via.query('absent(up{job="stoppable"})') == []


def test_collectd_healthy(e):
    assert e.collectd.process.alive(), "collectd exited"
    log = e.collectd.log()
    for bad in ("value too old", "uc_update", "Filter chain",
                "plugin_dispatch_values", "read-function of plugin"):
        assert bad not in log, "collectd complained: %s" % [
            l for l in log.splitlines() if bad in l][:3]


def test_build_info(e):
    """The version at load, and operator_metrics_build_info 1 with it,
    even from a collectd whose <Plugin operator_metrics> holds no block."""
    with open(os.path.join(REPO, "configure.ac")) as f:
        version = re.search(r"AC_INIT\(\[[^]]+\], \[([^]]+)\]",
                            f.read()).group(1)
    info = e.via.query("operator_metrics_build_info")
    assert len(info) == 1 and info[0][1] == 1, info
    labels = info[0][0]
    assert labels["version"] == version, labels
    assert labels["collectd"].startswith("5.12"), labels
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", labels["libcurl"]), labels
    assert re.fullmatch(r"[0-9]+\.[0-9]+", labels["libpq"]), labels
    assert "operator_metrics: version %s (collectd 5.12" % version in \
        e.collectd.log()
    wd = Workdir("no-blocks")
    try:
        c = Collectd(wd, "", name="collectd-no-blocks")
        try:
            wait_until("build_info from a collectd without blocks", lambda:
                       "operator_metrics_build_info" in
                       c.scrape_raw().decode(), timeout=20)
            assert "version=%s," % version in c.scrape_raw().decode()
        finally:
            c.stop()
    finally:
        wd.cleanup()


# --- configuration errors ----------------------------------------------------

CONFIG_ERRORS = [
    ("unknown option", '<Target "x">\n URL "http://127.0.0.1:1/metrics"\n'
     ' Tmeout 3\n</Target>', 'operator_metrics(target/x): unknown option '
     '"Tmeout"'),
    ("wrong type", '<Target "x">\n URL "http://127.0.0.1:1/metrics"\n'
     ' Timeout "3"\n</Target>', 'operator_metrics(target/x): option "Timeout" '
     'needs exactly one number of seconds, got a string'),
    ("missing URL", '<Target "x">\n Timeout 1\n</Target>',
     'operator_metrics(target/x): option "URL" (or a <Pods> block) is '
     'required'),
    ("timeout above interval", '<Target "x">\n URL "http://127.0.0.1:1/"\n'
     ' Interval 2\n Timeout 5\n</Target>', 'operator_metrics(target/x): option '
     '"Timeout" (5 s) must not exceed 90% of the interval (2 s)'),
    ("duplicate block", '<Target "x">\n URL "http://127.0.0.1:1/"\n</Target>\n'
     '<Target "x">\n URL "http://127.0.0.1:2/"\n</Target>',
     'operator_metrics(target/x): a block of this kind and name exists '
     'already'),
    ("unknown block", '<Tagret "x">\n URL "http://127.0.0.1:1/"\n</Tagret>',
     'operator_metrics: unknown block or option "Tagret"'),
    ("an option twice", '<Target "x">\n URL "http://127.0.0.1:1/"\n'
     ' URL "http://127.0.0.1:2/"\n</Target>',
     'operator_metrics(target/x): option "URL" is given twice'),
    ("a token in clear to another host", '<Target "x">\n'
     ' URL "http://192.0.2.1:8080/metrics"\n BearerTokenFile "/etc/hostname"'
     '\n</Target>', 'operator_metrics(target/x): option "BearerTokenFile": '
     'the token would go in clear over http:// to "192.0.2.1" (option "URL");'
     ' use https://, or set "AllowCleartextToken true" to send it anyway'),
    ("a name too long for the block's own series", '<Target "%s">\n'
     ' URL "http://127.0.0.1:1/metrics"\n</Target>' % ("n" * 400),
     "the block's name is too long: the block's own "
     "operator_metrics_dropped_samples_total would not fit collectd's "
     "identifier fields ("),
    ("a Job too long for up", '<Target "x">\n URL "http://127.0.0.1:1/"\n'
     ' Job "%s"\n</Target>' % ("j" * 400),
     'operator_metrics(target/x): option "Job" or "Instance" is too long: '
     "the block's own operator_metrics_probe_success would not fit"),
    ("a label rule that would drop job", '<Target "x">\n'
     ' URL "http://127.0.0.1:1/"\n LabelDrop "id|job"\n</Target>',
     'operator_metrics(target/x): option "LabelDrop": "id|job" would remove '
     'the label "job", which every series of the block needs'),
    ("a label rule that does not compile", '<Target "x">\n'
     ' URL "http://127.0.0.1:1/"\n DropSeries "container" "(a"\n</Target>',
     'operator_metrics(target/x): option "DropSeries": "(a" is not a POSIX '
     'extended regular expression'),
    ("a plugin-wide MaxSeries of 0", 'MaxSeries 0',
     'operator_metrics: option "MaxSeries" must be an integer from 1 to '
     '1000000, got 0'),
    ("a plugin-wide MaxSeries as text", 'MaxSeries "many"',
     'operator_metrics: option "MaxSeries"'),
    ("a plugin-wide MaxSeries twice", 'MaxSeries 10\nMaxSeries 20',
     'operator_metrics: option "MaxSeries" of <Plugin operator_metrics> is '
     'given twice'),
    # every error of every block, in one start
    ("every error at once", '<Target "a">\n Timeout 1\n</Target>\n'
     '<Target "b">\n URL "http://127.0.0.1:1/"\n Tmeout 3\n'
     ' Job "j"\n Job "k"\n</Target>\n'
     '<Postgres "c">\n Port "x"\n</Postgres>\n<Tagret "d">\n</Tagret>',
     ['operator_metrics(target/a): option "URL" (or a <Pods> block) is '
      'required',
      'operator_metrics(target/b): unknown option "Tmeout"',
      'operator_metrics(target/b): option "Job" is given twice',
      'operator_metrics(postgres/c): option "Port" needs a port number',
      'operator_metrics: unknown block or option "Tagret"',
      'operator_metrics: 4 of 4 block(s) in <Plugin operator_metrics> '
      'refused; collectd does not start']),
]


def test_config_errors_stop_collectd(_e):
    assert_config_refused(CONFIG_ERRORS)


def test_routing_keeps_other_writers_clean(e):
    """conf/collectd/route-to-write-prometheus.conf: operator_metrics values
    reach write_prometheus only; other plugins' values still reach csv."""
    wd = Workdir("routing")
    try:
        route = os.path.join(os.path.dirname(os.path.dirname(
            os.path.dirname(os.path.abspath(__file__)))), "conf", "collectd",
            "route-to-write-prometheus.conf")
        csv_dir = os.path.join(wd.path, "csv")
        c = Collectd(wd, target_block("routed", e.s2.url("/metrics")),
                     name="collectd-routing",
                     extra_plugins=("csv.so", "load.so", "match_regex.so"),
                     extra_config='LoadPlugin load\nLoadPlugin csv\n'
                                  '<Plugin csv>\n  DataDir "%s"\n</Plugin>\n'
                                  'Include "%s"\n' % (csv_dir, route))
        try:
            c.wait_ready()
            wait_until("csv to write the load plugin's values", lambda: any(
                d.startswith("load") for h in os.listdir(csv_dir)
                for d in os.listdir(os.path.join(csv_dir, h))), timeout=15)
            written = [d for h in os.listdir(csv_dir)
                       for d in os.listdir(os.path.join(csv_dir, h))]
            assert not [d for d in written if d.startswith("operator_metrics")
                        ], written
            assert collectd_value(c, "up", job="routed")[0] == 1
        finally:
            c.stop()
    finally:
        wd.cleanup()


TESTS = [
    test_series_identical_to_direct_scrape,
    test_label_rules_as_prometheus_applies_them,
    test_documented_label_names,
    test_seed_gauge_queries_same_as_direct,
    test_seed_rate_queries_same_series_as_direct,
    test_histogram_quantile_values,
    test_reconcile_rate_values,
    test_absent_and_up,
    test_scrape_families,
    test_uncatalogued_family_with_include,
    test_edge_label_values_survive,
    test_counter_up_to_63_bits,
    test_honor_labels,
    test_bad_samples_dropped_and_counted,
    test_unusable_endpoints_report_up_0,
    test_gzip_accepted,
    test_bearer_token_rotation,
    test_probes,
    test_max_series,
    test_plugin_max_series,
    test_slow_target_delays_nobody,
    test_block_interval,
    test_stopped_endpoint,
    test_collectd_healthy,
    test_build_info,
    test_routing_keeps_other_writers_clean,
    test_config_errors_stop_collectd,
]


if __name__ == "__main__":
    sys.exit(run_suite("e2e.target", Env, TESTS))
