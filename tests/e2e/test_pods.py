#!/usr/bin/env python3
"""End to end: operator pods found by label and scraped by the collectd of
the node they run on (<Target> with <Pods>), with two collectds configured
alike (Hostname host-a with NODE_NAME node-a; Hostname node-b, no
NODE_NAME), the test API server serving the pods (phases,
readiness, node names, label and field selectors, a Service's Endpoints),
and one Prometheus with the relabel rules and the Datum operator's
absent(up{job=...}) alert:

  - a pod on node-a is scraped by node-a's collectd only: each series
    once, with job, instance = podIP:port, namespace and pod;
  - pods the selector does not match, or not Ready, are not scraped;
  - a pod moves from node-a to node-b with a new address: its series
    follow, and the old address' series leave;
  - with no pod left, absent(up{job=...}) fires;
  - a Service's endpoints are followed the same way;
  - API errors (403, 500) keep the pods of the last listing scraped and
    say so in operator_metrics_kubernetes_resource_state;
  - bad <Pods> options stop collectd with a message naming them.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PKI, Collectd, Fixture, Prometheus,  # noqa: E402
                     assert_config_refused, run_suite, scrape_config,
                     wait_until)
from kube_apiserver import FakeAPIServer  # noqa: E402

NODES = ["node-a", "node-b"]
NS = "datum-system"
JOB = "datum-controller-manager-metrics"
LABELS = {"app.kubernetes.io/name": "datum", "control-plane": "controller"}
SELECTOR = "app.kubernetes.io/name=datum,control-plane in (controller)"
RULES = """\
groups:
  - name: datum
    rules:
      - alert: DatumControllerDown
        expr: |
          absent(up{job="datum-controller-manager-metrics"})
        labels:
          severity: critical
"""


def pod(name, node, fixture, ready=True, phase="Running", labels=None,
        port_name="metrics"):
    return {
        "metadata": {"name": name, "namespace": NS,
                     "labels": dict(LABELS if labels is None else labels)},
        "spec": {"nodeName": node, "containers": [{
            "name": "manager",
            "ports": [{"name": "health", "containerPort": 8081},
                      {"name": port_name, "containerPort": fixture.port}]}]},
        "status": {"phase": phase, "podIP": fixture.host,
                   "conditions": [{"type": "Ready",
                                   "status": "True" if ready else "False"}]},
    }


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.pki = PKI(wd)
        self.token = "tok-pods"
        self.api = FakeAPIServer(self.pki, [self.token])
        self.token_file = wd.file("token", self.token + "\n", mode=0o600)
        # the pods' /metrics, each on an address of its own
        self.fixtures = {}
        for name, ip in (("a", "127.0.0.11"), ("b", "127.0.0.12"),
                         ("other", "127.0.0.13"), ("moved", "127.0.0.14"),
                         ("svc", "127.0.0.15")):
            self.fixtures[name] = Fixture(wd, "pod-" + name, host=ip)
        self.collectd = {}
        # node-a's collectd is told its node by NODE_NAME (as a DaemonSet
        # does), node-b's by its Hostname alone (a host outside the
        # cluster): both name the node whose pods they scrape
        self.collectd["node-a"] = Collectd(
            wd, self.block(), name="collectd-node-a", hostname="host-a",
            extra_env={"NODE_NAME": "node-a"})
        self.collectd["node-b"] = Collectd(
            wd, self.block(), name="collectd-node-b", hostname="node-b",
            extra_env={"NODE_NAME": ""})
        for node in NODES:
            self.collectd[node].wait_ready()
        rules = wd.file("rules.yml", RULES)
        self.prom = Prometheus(wd, "prometheus", "".join(
            scrape_config(node, "127.0.0.1:%d" % self.collectd[node].port,
                          relabel=True) for node in NODES),
            rule_files=[rules])

    def access(self):
        return ('    APIServer "%s"\n    BearerTokenFile "%s"\n'
                '    CACert "%s"\n' % (self.api.url(), self.token_file,
                                       self.pki.ca))

    def block(self):
        return ('<Target "%s">\n  Interval 1\n  <Pods>\n'
                '    Namespace "%s"\n    Selector "%s"\n    Port "metrics"\n'
                '    RefreshInterval 1\n' % (JOB, NS, SELECTOR) +
                self.access() + '  </Pods>\n</Target>\n'
                '<Target "datum-webhook">\n  Interval 1\n  <Pods>\n'
                '    Service "datum-webhook-service"\n    Port "metrics"\n'
                '    RefreshInterval 1\n' + self.access() +
                '  </Pods>\n</Target>\n')

    def ups(self, job=JOB):
        """{pod: (instance, namespace, value)} of up{job} in Prometheus."""
        return {m.get("pod"): (m.get("instance"), m.get("namespace"), v)
                for m, v in self.prom.query('up{job="%s"}' % job)}

    def raw(self, node):
        return self.collectd[node].scrape_raw().decode()

    def stop(self):
        for p in [getattr(self, "prom", None)] + list(
                self.collectd.values()) + list(self.fixtures.values()):
            if p is not None:
                p.stop()
        self.api.stop()


def served(fixture):
    """How often the fixture's /metrics was scraped."""
    return fixture.stats()["requests"].get("/metrics", 0)


def alerts(e):
    return {a["labels"]["alertname"]: a["state"]
            for a in e.prom.api("alerts")["alerts"]}


# --- tests -----------------------------------------------------------------

def test_pods_scraped_by_their_node(e):
    a, b, other = e.fixtures["a"], e.fixtures["b"], e.fixtures["other"]
    e.api.put_pod(pod("datum-a", "node-a", a))
    e.api.put_pod(pod("datum-b", "node-b", b))
    # same node, other labels: not selected
    e.api.put_pod(pod("unrelated", "node-a", other,
                      labels={"app.kubernetes.io/name": "other"}))
    wait_until("both pods' up in Prometheus",
               lambda: set(e.ups()) == {"datum-a", "datum-b"}, timeout=30)
    ups = e.ups()
    assert ups["datum-a"] == (a.instance(), NS, 1), ups
    assert ups["datum-b"] == (b.instance(), NS, 1), ups
    # each collectd scrapes the pod of its own node, and only that one
    assert a.instance() in e.raw("node-a") and \
        a.instance() not in e.raw("node-b")
    assert b.instance() in e.raw("node-b") and \
        b.instance() not in e.raw("node-a")
    assert other.instance() not in e.raw("node-a") + e.raw("node-b")
    assert served(a) > 0 and served(b) > 0
    assert served(other) == 0, other.stats()
    # every scraped series once, with the pod's labels
    series = e.prom.query('controller_runtime_reconcile_total'
                          '{controller="organization",result="success"}')
    got = sorted((m["job"], m["instance"], m["namespace"], m["pod"])
                 for m, _ in series)
    assert got == [(JOB, a.instance(), NS, "datum-a"),
                   (JOB, b.instance(), NS, "datum-b")], got
    # the list requests: this node's pods only, by the API server's
    # selectors
    listed = [q for path, q, code in e.api.requests
              if path == "/api/v1/namespaces/%s/pods" % NS]
    assert listed, e.api.requests[-5:]
    fields = {q.get("fieldSelector") for q in listed}
    assert fields == {"status.phase=Running,spec.nodeName=node-a",
                      "status.phase=Running,spec.nodeName=node-b"}, fields
    assert {q.get("labelSelector") for q in listed} == {SELECTOR}
    for node in NODES:
        log = e.collectd[node].log()
        assert "pod %s/datum-%s: scraping" % (NS, node[-1]) in log, log


def node_listings(e, node):
    return sum(1 for path, q, _ in e.api.requests if path.endswith("/pods")
               and q.get("fieldSelector", "").endswith("=" + node))


def test_not_ready_pod_stops_being_scraped(e):
    b = e.fixtures["b"]
    e.api.put_pod(pod("datum-b", "node-b", b, ready=False))
    wait_until("datum-b gone from up", lambda: "datum-b" not in e.ups(),
               timeout=30)
    wait_until("node-b's collectd no longer sending datum-b's series",
               lambda: b.instance() not in e.raw("node-b"), timeout=15)
    before = served(b)
    # three more listings by node-b's collectd, and no scrape of the pod
    listings = node_listings(e, "node-b")
    wait_until("three more listings by node-b",
               lambda: node_listings(e, "node-b") >= listings + 3, timeout=15)
    assert served(b) == before, b.stats()
    assert "no longer scraped" in e.collectd["node-b"].log()
    assert set(e.ups()) == {"datum-a"}, e.ups()
    # Pending counts as not ready too
    e.api.put_pod(pod("datum-b", "node-b", b, phase="Pending"))


def test_pod_moves_to_another_node(e):
    a, moved = e.fixtures["a"], e.fixtures["moved"]
    e.api.delete_pod(NS, "datum-b")
    # datum-a is rescheduled on node-b with a new address
    e.api.put_pod(pod("datum-a", "node-b", moved))
    wait_until("datum-a at its new address",
               lambda: e.ups().get("datum-a", (None,))[0] == moved.instance(),
               timeout=30)
    wait_until("node-a's collectd no longer sending the old address",
               lambda: a.instance() not in e.raw("node-a"), timeout=15)
    assert moved.instance() in e.raw("node-b")
    assert moved.instance() not in e.raw("node-a")
    # Prometheus marks the old address' series stale at its next scrape
    wait_until("one datum-a series, at the new address", lambda: [
        m["instance"] for m, _ in e.prom.query(
            'controller_runtime_reconcile_total{controller="organization",'
            'result="success",pod="datum-a"}')] == [moved.instance()],
        timeout=15)


def test_no_pod_left_absent_up_fires(e):
    # a pod that moved may have left up absent for a moment (the last
    # test): while a pod is scraped, the alert is not (or no longer) there
    wait_until("no DatumControllerDown while datum-a is scraped",
               lambda: "datum-a" in e.ups() and
               "DatumControllerDown" not in alerts(e), timeout=30)
    e.api.delete_pod(NS, "datum-a")
    wait_until("no up for the job", lambda: e.ups() == {}, timeout=30)
    wait_until("DatumControllerDown firing",
               lambda: alerts(e).get("DatumControllerDown") == "firing",
               timeout=30)
    for node in NODES:
        assert e.collectd[node].process.alive()
    # the pod comes back: the alert resolves
    e.api.put_pod(pod("datum-a", "node-a", e.fixtures["a"]))
    wait_until("DatumControllerDown resolved",
               lambda: "DatumControllerDown" not in alerts(e), timeout=30)


def endpoints(name, addresses, not_ready=()):
    def address(node, fixture, pod_name):
        return {"ip": fixture.host, "nodeName": node,
                "targetRef": {"kind": "Pod", "namespace": NS,
                              "name": pod_name}}
    port = addresses[0][1].port if addresses else 9443
    return {"metadata": {"name": name, "namespace": NS},
            "subsets": [{"addresses": [address(*a) for a in addresses],
                         "notReadyAddresses": [address(*a)
                                               for a in not_ready],
                         "ports": [{"name": "metrics", "port": port}]}]}


def test_service_endpoints_followed(e):
    svc = e.fixtures["svc"]
    e.api.put_endpoints(endpoints("datum-webhook-service",
                                  [("node-b", svc, "datum-webhook-1")]))
    wait_until("the webhook's up", lambda: set(e.ups("datum-webhook")) ==
               {"datum-webhook-1"}, timeout=30)
    assert e.ups("datum-webhook")["datum-webhook-1"] == (svc.instance(), NS,
                                                        1)
    assert svc.instance() in e.raw("node-b")
    assert svc.instance() not in e.raw("node-a")
    # the address goes not ready: no longer scraped
    e.api.put_endpoints(endpoints("datum-webhook-service", [],
                                  [("node-b", svc, "datum-webhook-1")]))
    wait_until("the webhook's up gone",
               lambda: e.ups("datum-webhook") == {}, timeout=30)


def resource_state(e, node, job=JOB):
    got = e.prom.query('operator_metrics_kubernetes_resource_state'
                       '{block="%s",resource="pods"} == 1' % job)
    return {m["job"]: m["state"] for m, _ in got}.get(node)


def test_api_errors_keep_the_last_pods(e):
    # datum-a on node-a, whatever the tests before left
    e.api.put_pod(pod("datum-a", "node-a", e.fixtures["a"]))
    wait_until("datum-a scraped on node-a", lambda: e.ups().get(
        "datum-a", (None,))[0] == e.fixtures["a"].instance(), timeout=30)
    for fault, state in (({"status": 403}, "forbidden"),
                         ({"status": 500}, "unavailable")):
        e.api.fault("pods", fault)
        try:
            wait_until("node-a's pod listing %s" % state,
                       lambda: resource_state(e, "node-a") == state,
                       timeout=30)
            # the pod of the last complete listing is still scraped
            before = served(e.fixtures["a"])
            wait_until("datum-a still scraped", lambda: served(
                e.fixtures["a"]) > before + 1, timeout=15)
            assert e.ups()["datum-a"][2] == 1, e.ups()
        finally:
            e.api.fault("pods", None)
        wait_until("the listing works again",
                   lambda: resource_state(e, "node-a") == "ok", timeout=30)
    log = e.collectd["node-a"].log()
    assert "cannot list pods (forbidden)" in log, log
    assert "listing pods works again" in log, log
    assert e.token not in log


def test_config_errors_stop_collectd(e):
    api = e.access()

    def target(body):
        return '<Target "t">\n%s</Target>\n' % body

    cases = [
        ("URL and Pods", target('  URL "http://127.0.0.1:1/metrics"\n'
                                '  <Pods>\n    Port 8080\n' + api +
                                '  </Pods>\n'),
         'option "URL" names one address; with <Pods>'),
        ("no port", target('  <Pods>\n' + api + '  </Pods>\n'),
         '<Pods>: option "Port" is required'),
        ("bad port name", target('  <Pods>\n    Port "Metrics_Port"\n' + api +
                                 '  </Pods>\n'),
         'option "Port": "Metrics_Port" is neither'),
        ("bad scope", target('  <Pods>\n    Port 80\n    Scope "zone"\n' +
                             api + '  </Pods>\n'),
         'option "Scope" is "node" or "cluster"'),
        ("node with cluster scope",
         target('  <Pods>\n    Port 80\n    Scope "cluster"\n'
                '    Node "node-a"\n' + api + '  </Pods>\n'),
         'option "Node" has no place with Scope "cluster"'),
        ("bad selector", target('  <Pods>\n    Port 80\n'
                                '    Selector "app: datum"\n' + api +
                                '  </Pods>\n'),
         'option "Selector" is not a label selector'),
        ("bad namespace", target('  <Pods>\n    Port 80\n'
                                 '    Namespace "Datum_System"\n' + api +
                                 '  </Pods>\n'),
         '"Datum_System" is not a namespace name'),
        ("no API server", target('  <Pods>\n    Port 80\n  </Pods>\n'),
         'option "APIServer" is required outside a cluster'),
        ("pod label", target('  Label "pod" "x"\n  <Pods>\n    Port 80\n' +
                             api + '  </Pods>\n'),
         'option "Label": "pod" is the pod\'s own'),
        ("unknown option", target('  <Pods>\n    Port 80\n    Selektor "a"\n'
                                  + api + '  </Pods>\n'),
         'Selektor'),
    ]
    assert_config_refused(cases)


TESTS = [test_pods_scraped_by_their_node,
         test_not_ready_pod_stops_being_scraped,
         test_pod_moves_to_another_node,
         test_no_pod_left_absent_up_fires,
         test_service_endpoints_followed,
         test_api_errors_keep_the_last_pods,
         test_config_errors_stop_collectd]

if __name__ == "__main__":
    sys.exit(run_suite("e2e.pods", Env, TESTS))
