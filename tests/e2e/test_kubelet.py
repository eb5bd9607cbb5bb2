#!/usr/bin/env python3
"""End to end, issue 14: a kubelet's /metrics/cadvisor (HTTPS with a bearer
token, sample timestamps, the systemd driver's cgroup ids) and
kube-state-metrics, each scraped by a <Target> block of the real collectd
5.12 and served by write_prometheus to a Prometheus 2.42 with the shipped
relabel rules and KubeMirror's container alerts, beside a Prometheus that
scrapes both endpoints directly with the same label rules: the series, the
dashboard's expressions and the alerts must agree.

    OM_PLUGIN=.../operator_metrics.so python3 tests/e2e/test_kubelet.py
"""
import math
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PKI, REPO, Collectd, Fixture, Prometheus,  # noqa: E402
                     Workdir, run_suite, scrape_config, target_block,
                     wait_until)

CADVISOR = "kubelet-cadvisor"
KSM = "kube-state-metrics"
# the label rules of the cAdvisor block, and Prometheus' own for them
RULES = ['LabelDrop "id"']
DIRECT_RULES = [("labeldrop", None, "id")]
# our self-metrics, Prometheus' own per-target series and its alert state,
# which each Prometheus reaches at its own moment
SELF = ("operator_metrics_", "scrape_series_added", "ALERTS")
MEMORY = ('sum by (pod) (container_memory_working_set_bytes{container!=""})'
          ' / sum by (pod) (kube_pod_container_resource_limits'
          '{resource="memory"})')
THROTTLING = ("rate(container_cpu_cfs_throttled_periods_total[5m]) / "
              "rate(container_cpu_cfs_periods_total[5m])")
ALERTS = os.path.join(REPO, "conf", "prometheus", "rules", "kubemirror.yml")


def fast_rules(wd):
    """The shipped alert rules with their `for` shortened to 5 s, so that a
    test sees them fire; the expressions stay as shipped."""
    with open(ALERTS) as f:
        text = f.read()
    return wd.file("kubemirror-fast.yml",
                   re.sub(r"for: \d+m", "for: 5s", text))


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.pki = PKI(wd)
        token = wd.file("kubelet-token", "kubelet-token-5d1e\n", 0o600)
        self.kubelet = Fixture(wd, "kubelet", pki=self.pki, token_file=token)
        self.ksm = Fixture(wd, "ksm")
        blocks = (target_block(CADVISOR, self.kubelet.url("/metrics/cadvisor"),
                               'CACert "%s"' % self.pki.ca,
                               'BearerTokenFile "%s"' % token, *RULES) +
                  target_block(KSM, self.ksm.url("/ksm")))
        self.collectd = Collectd(wd, blocks, interval=1)
        self.collectd.wait_ready()
        rules = [fast_rules(wd)]
        self.via = Prometheus(wd, "via-collectd", scrape_config(
            "collectd", "127.0.0.1:%d" % self.collectd.port, relabel=True),
            rule_files=rules)
        self.direct = Prometheus(wd, "direct", scrape_config(
            CADVISOR, self.kubelet.instance(), "/metrics/cadvisor", "https",
            ca_file=self.pki.ca, token_file=token,
            metric_relabel=DIRECT_RULES) + scrape_config(
            KSM, self.ksm.instance(), "/ksm"), rule_files=rules)
        for p in (self.via, self.direct):
            wait_until("throttling rates in " + p.process.name,
                       lambda p=p: len(p.query(THROTTLING)) == 2, timeout=60)

    def stop(self):
        for p in ("via", "direct", "collectd", "kubelet", "ksm"):
            if hasattr(self, p):
                getattr(self, p).stop()


def series(prom, job):
    out = {}
    for labels, value in prom.query('{job="%s"}' % job):
        if not labels["__name__"].startswith(SELF):
            out[frozenset(labels.items())] = value
    return out


def assert_same_series(e, job, at_least):
    via, direct = series(e.via, job), series(e.direct, job)
    assert set(via) == set(direct), (
        "%s: %d only via collectd, e.g. %s; %d only direct, e.g. %s" % (
            job, len(set(via) - set(direct)),
            [dict(x) for x in list(set(via) - set(direct))[:2]],
            len(set(direct) - set(via)),
            [dict(x) for x in list(set(direct) - set(via))[:2]]))
    assert len(via) >= at_least, (job, len(via))
    return via


def test_cadvisor_series_arrive_whole(e):
    via = assert_same_series(e, CADVISOR, 20)
    names = {dict(k)["__name__"] for k in via}
    assert {"container_memory_working_set_bytes",
            "container_cpu_usage_seconds_total",
            "container_cpu_cfs_periods_total",
            "container_cpu_cfs_throttled_periods_total"} <= names, names
    manager = [dict(k) for k in via
               if dict(k).get("container") == "manager" and
               dict(k)["__name__"] == "container_cpu_usage_seconds_total"]
    assert manager and manager[0]["image"].startswith("ghcr.io/") and \
        len(manager[0]["name"]) == 64 and manager[0]["cpu"] == "total", manager
    # nothing of the block was dropped: every series fits once id is gone
    dropped = e.via.query('sum(operator_metrics_dropped_samples_total'
                          '{block="%s"})' % CADVISOR)
    assert dropped and dropped[0][1] == 0, dropped


def test_kube_state_metrics_series_arrive_whole(e):
    via = assert_same_series(e, KSM, 10)
    limits = [dict(k) for k in via if dict(k)["__name__"] ==
              "kube_pod_container_resource_limits"]
    assert len(limits) == 4 and all(len(m["uid"]) == 36 for m in limits)


def test_without_label_rules_the_id_is_too_long(e):
    """Without LabelDrop "id" a container series does not fit collectd's
    fields: it is dropped, counted and logged with its size."""
    wd = Workdir("kubelet-id")
    try:
        token = os.path.join(e.wd.path, "kubelet-token")
        c = Collectd(wd, target_block(
            "with-id", e.kubelet.url("/metrics/cadvisor"),
            'CACert "%s"' % e.pki.ca, 'BearerTokenFile "%s"' % token),
            interval=1, name="collectd-with-id")
        try:
            line = wait_until("the drop to be logged", lambda: [
                l for l in c.log().split("\n")
                if "operator_metrics(target/with-id): dropped" in l],
                timeout=20)[0]
            got = re.search(r"\(pack_too_long: its labels take (\d+) bytes, "
                            r"(\d+) over the 381", line)
            assert got, line
            assert 400 < int(got.group(1)) < 560, line
        finally:
            c.stop()
    finally:
        wd.cleanup()


def close_values(q, via, direct, rel):
    v = {frozenset(m.items()): x for m, x in via}
    d = {frozenset(m.items()): x for m, x in direct}
    assert set(v) == set(d) and v, "%s: %s / %s" % (q, v, d)
    for k in v:
        assert math.isclose(v[k], d[k], rel_tol=rel), (q, dict(k), v[k], d[k])
    return {dict(k).get("pod"): x for k, x in v.items()}


def test_dashboard_expressions_same_values(e):
    at = round(time.time(), 3)
    ratio = close_values(MEMORY, e.via.query(MEMORY, at),
                         e.direct.query(MEMORY, at), 1e-12)
    assert math.isclose(ratio["kubemirror-controller-6d8f9c7b5-q7x2m"],
                        480 / 512), ratio
    assert math.isclose(ratio["web-0"], 50 / 256), ratio
    share = close_values(THROTTLING, e.via.query(THROTTLING, at),
                         e.direct.query(THROTTLING, at), 0.05)
    assert abs(share["kubemirror-controller-6d8f9c7b5-q7x2m"] - 0.4) < 0.02
    assert share["web-0"] == 0, share


def firing(prom, name):
    return {m.get("pod") for m, _ in prom.query(
        'ALERTS{alertname="%s",alertstate="firing"}' % name)}


def test_alerts_fire(e):
    for p in (e.via, e.direct):
        for name in ("KubeMirrorMemoryHigh", "KubeMirrorCPUThrottling"):
            got = wait_until("%s firing in %s" % (name, p.process.name),
                             lambda p=p, name=name: firing(p, name),
                             timeout=30)
            assert got == {"kubemirror-controller-6d8f9c7b5-q7x2m"}, got


TESTS = [
    test_cadvisor_series_arrive_whole,
    test_kube_state_metrics_series_arrive_whole,
    test_dashboard_expressions_same_values,
    test_alerts_fire,
    test_without_label_rules_the_id_is_too_long,
]


if __name__ == "__main__":
    sys.exit(run_suite("e2e.kubelet", Env, TESTS))
