#!/usr/bin/env python3
"""End to end: a fleet of identically configured collectds (node-a, node-b,
node-c), each with the same <Kubernetes> block under LeaderElection, one
Prometheus scraping all three with the relabel rules, and the test API
server playing the Lease API as the real one does (resourceVersion, 409
Conflict, 403, 5xx).

  - the inventory is counted once, whatever the number of collectds;
  - three candidates racing for a free lease: exactly one wins;
  - a <Target> on an address every node reaches, under its own lease, is
    scraped by one collectd: one up, one copy of each series;
  - the holder stops: another takes over within the lease duration and
    an interval, and the count is never doubled;
  - lease errors (403, 500, a timeout, 401) make every block stand by,
    visible in operator_metrics_lease_state, and collectd keeps running;
    once they clear, one holder again;
  - bad election options stop collectd with a message naming them.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PKI, Collectd, Fixture, Prometheus,  # noqa: E402
                     assert_config_refused, run_suite, scrape_config,
                     wait_until)
from kube_apiserver import FakeAPIServer  # noqa: E402
from kube_objects import DBOPS, DBOPS_KINDS, DBOPS_OBJECTS  # noqa: E402

NODES = ["node-a", "node-b", "node-c"]
LEASE_NS, LEASE = "monitoring", "collectd-inventory"
DURATION = 4  # seconds; the blocks read every second
DATABASES = len(DBOPS_OBJECTS["databases"])


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.pki = PKI(wd)
        self.token = "tok-fleet"
        self.api = FakeAPIServer(self.pki, [self.token])
        for plural, kind, namespaced in DBOPS_KINDS:
            self.api.define(DBOPS, "v1alpha1", plural, kind, namespaced)
            for o in DBOPS_OBJECTS[plural]:
                self.api.put(plural, o)
        self.token_file = wd.file("token", self.token + "\n", mode=0o600)
        # an operator behind a Service: every node could scrape it
        self.operator = Fixture(wd, "operator")
        self.collectd = {}
        # started together: they race for the free lease
        for node in NODES:
            self.start(node, wait=False)
        for node in NODES:
            self.collectd[node].wait_ready()
        self.prom = Prometheus(wd, "prometheus", "".join(
            scrape_config(node, "127.0.0.1:%d" % self.collectd[node].port,
                          relabel=True) for node in NODES))
        wait_until("one holder's inventory in Prometheus",
                   lambda: self.count() == DATABASES, timeout=60)

    def block(self):
        access = ('  %sAPIServer "%s"\n  %sBearerTokenFile "%s"\n'
                  '  %sCACert "%s"\n')
        return ('<Kubernetes "inventory">\n' +
                access % ("", self.api.url(), "", self.token_file, "",
                          self.pki.ca) +
                '  Preset "dbops"\n  Interval 1\n'
                '  LeaderElection "%s"\n  LeaseNamespace "%s"\n'
                '  LeaseDuration %d\n' % (LEASE, LEASE_NS, DURATION) +
                access % ("Lease", self.api.url(), "Lease", self.token_file,
                          "Lease", self.pki.ca) + '</Kubernetes>\n'
                '<Target "operator">\n  URL "%s"\n  Interval 1\n'
                '  LeaderElection "collectd-operator"\n'
                '  LeaseNamespace "%s"\n' % (self.operator.url("/metrics"),
                                             LEASE_NS) +
                access % ("Lease", self.api.url(), "Lease", self.token_file,
                          "Lease", self.pki.ca) + '</Target>\n')

    def start(self, node, wait=True):
        old = self.collectd.get(node)
        c = Collectd(self.wd, self.block(), name="collectd-" + node,
                     extra_env={"NODE_NAME": node}, hostname="host-" + node,
                     port=old.port if old else None)
        self.collectd[node] = c
        if wait:
            c.wait_ready()

    def count(self):
        got = self.prom.query("count(dbops_database_info)")
        return got[0][1] if got else 0

    def leaders(self):
        """{node: operator_metrics_leader} of the collectds Prometheus
        sees up."""
        return {m["job"]: v for m, v in self.prom.query(
            'operator_metrics_leader{block="inventory"}')}

    def states(self):
        return {m["job"]: m["state"] for m, v in self.prom.query(
            'operator_metrics_lease_state{block="inventory"} == 1')}

    def holder(self):
        lease = self.api.lease(LEASE_NS, LEASE)
        return lease and lease["spec"]["holderIdentity"]

    def stop(self):
        for p in [getattr(self, "prom", None), getattr(self, "operator", None)
                  ] + list(self.collectd.values()):
            if p is not None:
                p.stop()
        self.api.stop()


def alive(e):
    return [n for n, c in e.collectd.items() if c.process.alive()]


# --- tests -----------------------------------------------------------------

def test_one_winner_counted_once(e):
    wait_until("every collectd's election in Prometheus",
               lambda: len(e.leaders()) == len(NODES), timeout=30)
    leaders = e.leaders()
    winners = [n for n, v in leaders.items() if v == 1]
    assert len(winners) == 1, leaders
    assert e.holder() == winners[0], (e.holder(), winners)
    assert e.states() == {n: ("leader" if n == winners[0] else "follower")
                          for n in NODES}, e.states()
    assert e.count() == DATABASES
    # each series once: no database_info with two jobs
    jobs = {m["job"] for m, _ in e.prom.query("dbops_database_info")}
    assert jobs == {winners[0]}, jobs
    lease = e.api.lease(LEASE_NS, LEASE)
    assert lease["spec"]["leaseDurationSeconds"] == DURATION, lease
    # the race: for each of the two leases (the inventory's, the
    # operator target's) every candidate found none and created it; the
    # API server let one creation each through and answered the others 409
    created = [code for path, _, code in e.api.requests
               if path.endswith("/namespaces/%s/leases" % LEASE_NS)]
    assert sorted(created) == [201, 201] + [409] * (len(created) - 2), \
        created
    held = [n for n in NODES if "holds lease %s/%s " % (LEASE_NS, LEASE)
            in e.collectd[n].log()]
    assert held == winners, held
    for node in NODES:
        log = e.collectd[node].log()
        if node == winners[0]:
            assert ('holds lease %s/%s as "%s"' % (LEASE_NS, LEASE, node)
                    in log), log
        else:
            assert ('lease %s/%s is held by' % (LEASE_NS, LEASE)) in log, log


def test_a_service_target_scraped_once(e):
    """A <Target> on an address every node reaches, under its own lease:
    one up, one copy of each series, whatever the number of collectds."""
    wait_until("the operator target's up", lambda: len(
        e.prom.query('up{job="operator"}')) == 1, timeout=30)
    ups = e.prom.query('up{job="operator"}')
    assert [v for _, v in ups] == [1], ups
    leaders = {m["instance"]: v for m, v in e.prom.query(
        'operator_metrics_leader{block="operator"}')}
    assert sorted(leaders.values()) == [0, 0, 1], leaders
    series = e.prom.query('controller_runtime_reconcile_total'
                          '{controller="organization",result="success"}')
    assert len(series) == 1, series
    holder = e.api.lease(LEASE_NS, "collectd-operator")["spec"]
    assert holder["holderIdentity"] in NODES, holder


def test_holder_stops_another_takes_over(e):
    old = e.holder()
    e.collectd[old].stop()
    stopped = time.monotonic()
    most, took = 0, None
    deadline = stopped + DURATION + 10
    while time.monotonic() < deadline:
        n = e.count()
        most = max(most, n)
        holder = e.holder()
        if holder not in (None, old) and took is None:
            took = time.monotonic() - stopped
        if took is not None and n == DATABASES:
            break
        time.sleep(0.2)
    assert took is not None, "nobody took the lease over from %s" % old
    # within the lease duration and one interval (and a poll's slack)
    assert took <= DURATION + 1 + 1, took
    assert most <= DATABASES, "counted %s times" % most
    assert e.count() == DATABASES
    new = e.holder()
    assert new in NODES and new != old
    lease = e.api.lease(LEASE_NS, LEASE)
    assert lease["spec"]["leaseTransitions"] >= 1, lease
    # the old node comes back: it does not take the lease back
    e.start(old)
    # Prometheus sees each collectd at its own scrape: wait until it has
    # seen the new holder lead and the old one follow
    wait_until("the new holder leading and the restarted node following",
               lambda: e.leaders() == {n: int(n == new) for n in NODES},
               timeout=30)
    assert e.holder() == new


def stand_by_on(e, fault, state):
    e.api.fault("leases", fault)
    try:
        wait_until("every block standing by (%s)" % state,
                   lambda: e.states() == {n: state for n in NODES},
                   timeout=20)
        assert sum(e.leaders().values()) == 0, e.leaders()
        # the holder's figures leave write_prometheus after collectd's
        # Timeout: nobody reports rather than two
        wait_until("no inventory while nobody holds the lease",
                   lambda: e.count() == 0, timeout=20)
        assert alive(e) == NODES
    finally:
        e.api.fault("leases", None)
    wait_until("one holder again", lambda: sorted(e.leaders().values()) ==
               [0, 0, 1] and e.count() == DATABASES, timeout=30)


def test_lease_errors_stand_by(e):
    stand_by_on(e, {"status": 403}, "forbidden")
    stand_by_on(e, {"status": 500}, "unavailable")
    # an API server slower than a round's requests may take (0.2 s here)
    stand_by_on(e, {"delay": 1.0}, "unavailable")
    e.api.set_tokens(["someone-else"])
    try:
        wait_until("every block unauthorized", lambda: e.states() == {
            n: "unauthorized" for n in NODES}, timeout=20)
    finally:
        e.api.set_tokens([e.token])
    wait_until("one holder again after the token is back",
               lambda: sum(e.leaders().values()) == 1, timeout=30)
    for node in NODES:
        log = e.collectd[node].log()
        for state, why in (("forbidden", "HTTP status 403"),
                           ("unavailable", "HTTP status 500"),
                           ("unauthorized", "HTTP status 401")):
            line = "cannot use lease %s/%s (%s): %s; this block stands by" % (
                LEASE_NS, LEASE, state, why)
            assert line in log, (line, log)
        assert e.token not in log


KUBE = ('<Kubernetes "k">\n  APIServer "https://127.0.0.1:1"\n'
        '  Preset "dbops"\n%s</Kubernetes>\n')
CONFIG_ERRORS = [
    ("no API server for the election",
     KUBE % '  LeaderElection "inventory"\n',
     'operator_metrics(kubernetes/k): option "LeaseAPIServer" is required '
     'outside a cluster (KUBERNETES_SERVICE_HOST is not set)'),
    ("a lease shorter than the interval",
     KUBE % ('  Interval 10\n  LeaderElection "inventory"\n'
             '  LeaseDuration 5\n  LeaseAPIServer "https://127.0.0.1:1"\n'),
     'operator_metrics(kubernetes/k): option "LeaseDuration" (5 s) must '
     'exceed the interval (10 s)'),
    ("lease options without LeaderElection",
     KUBE % '  LeaseNamespace "monitoring"\n',
     'operator_metrics(kubernetes/k): options "LeaseNamespace"'),
    ("a lease name Kubernetes refuses",
     KUBE % ('  LeaderElection "Inventory_1"\n'
             '  LeaseAPIServer "https://127.0.0.1:1"\n'),
     'take Kubernetes names'),
]


def test_config_errors_stop_collectd(e):
    assert_config_refused(CONFIG_ERRORS)


TESTS = [
    test_one_winner_counted_once,
    test_a_service_target_scraped_once,
    test_holder_stops_another_takes_over,
    test_lease_errors_stand_by,
    test_config_errors_stop_collectd,
]


if __name__ == "__main__":
    sys.exit(run_suite("e2e.fleet", Env, TESTS))
