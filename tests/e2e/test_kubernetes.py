#!/usr/bin/env python3
"""End to end: the <Kubernetes> collector in the real collectd 5.12 with
write_prometheus, judged by a real Prometheus 2.42 that uses the shipped
relabel snippet, against a local HTTPS server with a test CA that plays the
API server (kube_apiserver.py) with the dbops, Dynamo and Datum custom
resources and a generic "widgets" resource.

Blocks:
  cluster    Presets dbops, dynamo, datum and a <Resource> for widgets,
             PageSize 2 (every listing has several pages), token file;
  scoped     widgets in namespace "shop" only (family scoped_count), with
             no APIServer: the address comes from KUBERNETES_SERVICE_HOST
             and KUBERNETES_SERVICE_PORT, as inside a cluster;
  limited    widgets with MaxObjects 3 (family limited_count);
  untrusted  widgets without CACert: TLS verification must refuse the
             test CA (family untrusted_count);
  slow       two resources whose every answer takes 0.6 s, in a 1 s
             interval: only one fits in a read, and reads take turns.

The expected figures are computed here from the objects, following the
operators' own rules as the README states them, not read back from the
plugin.
"""
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PKI, Collectd, Prometheus, Workdir,  # noqa: E402
                     assert_config_refused, run_suite, scrape_config,
                     wait_until)
from kube_apiserver import FakeAPIServer  # noqa: E402
from kube_objects import (COMPUTE, DATUM_KINDS, DATUM_OBJECTS,  # noqa: E402
                          DBOPS, DBOPS_KINDS, DBOPS_OBJECTS, DYNAMO_KINDS,
                          DYNAMO_OBJECTS, MILO, T1, T2, T2_EPOCH, T3_EPOCH,
                          WIDGETS, load_objects, obj, widget)

# "outside a cluster" must hold for the configuration tests, wherever CI runs
os.environ.pop("KUBERNETES_SERVICE_HOST", None)
os.environ.pop("KUBERNETES_SERVICE_PORT", None)

# --- the expectations, from the operators' rules ------------------------------

def present(labels):
    """The labels as Prometheus keeps them: an empty value is no label."""
    return frozenset((k, v) for k, v in labels.items() if v != "")


def phase(o):
    return (o.get("status") or {}).get("phase") or "Pending"


def g(o, *path, default=""):
    for p in path:
        if not isinstance(o, dict) or p not in o:
            return default
        o = o[p]
    return o if o not in ("", None) else default


def expected_dbops(objects):
    """{family: {frozenset(labels): value}} for the dbops preset."""
    out = {}

    def put(family, value, **labels):
        out.setdefault(family, {})[present(labels)] = value

    def count(plural, o, ns):
        kind = dict((p, k) for p, k, _ in DBOPS_KINDS)[plural]
        key = present({"resource_type": kind, "phase": phase(o),
                       "namespace": ns})
        fam = out.setdefault("dbops_resource_count", {})
        fam[key] = fam.get(key, 0) + 1

    def iref(o):
        return g(o, "spec", "instanceRef", "name",
                 default=g(o, "spec", "clusterInstanceRef", "name"))

    def privs(o, engines):
        got = []
        for e in engines:
            got += g(o, "spec", e, "roles", default=[])
            for gr in g(o, "spec", e, "grants", default=[]):
                got += gr.get("privileges", [])
        return ",".join(got)

    for plural, items in objects.items():
        for o in items:
            n, ns = o["metadata"]["name"], o["metadata"].get("namespace", "")
            if plural in ("databaseinstances", "clusterdatabaseinstances"):
                ns = ns or "_cluster"
                put("dbops_instance_info", 1, instance=n, namespace=ns,
                    engine=g(o, "spec", "engine"),
                    version=g(o, "status", "version", default="unknown"),
                    host=g(o, "spec", "connection", "host"),
                    port=str(g(o, "spec", "connection", "port")),
                    phase=phase(o))
            elif plural == "databases":
                put("dbops_database_info", 1, database=n, namespace=ns,
                    instance_ref=iref(o), db_name=g(o, "spec", "name"),
                    phase=phase(o))
            elif plural == "databaseusers":
                put("dbops_user_info", 1, user=n, namespace=ns,
                    instance_ref=iref(o), username=g(o, "spec", "username"),
                    phase=phase(o))
            elif plural in ("databaseroles", "clusterdatabaseroles"):
                put("dbops_role_info", 1, role=n, namespace=ns,
                    instance_ref=iref(o),
                    role_name=g(o, "spec", "roleName"), phase=phase(o))
            elif plural == "databasegrants":
                put("dbops_grant_info", 1, grant=n, namespace=ns,
                    user_ref=g(o, "spec", "userRef", "name",
                               default=g(o, "spec", "roleRef", "name",
                                         default="unknown")),
                    database_ref=g(o, "spec", "databaseRef", "name"),
                    privileges=privs(o, ("postgres", "mysql", "clickhouse")),
                    phase=phase(o))
            elif plural == "clusterdatabasegrants":
                u, r = g(o, "spec", "userRef"), g(o, "spec", "roleRef")
                if u:
                    ref = "%s/%s" % (u["namespace"], u["name"])
                elif r:
                    ref = ("%s/%s" % (r["namespace"], r["name"])
                           if r.get("namespace") else r["name"])
                else:
                    ref = "unknown"
                put("dbops_grant_info", 1, grant=n, namespace="",
                    user_ref=ref, database_ref="",
                    privileges=privs(o, ("postgres", "mysql")),
                    phase=phase(o))
            elif plural == "databasebackups":
                put("dbops_backup_info", 1, backup=n, namespace=ns,
                    database_ref=g(o, "spec", "databaseRef", "name"),
                    storage_type=g(o, "spec", "storage", "type"),
                    phase=phase(o))
            elif plural == "databasebackupschedules":
                db = g(o, "spec", "template", "spec", "databaseRef", "name")
                put("dbops_schedule_info", 1, schedule=n, namespace=ns,
                    database_ref=db, cron=g(o, "spec", "schedule"),
                    paused="true" if g(o, "spec", "paused", default=False)
                    else "false")
            elif plural == "databaserestores":
                put("dbops_restore_info", 1, restore=n, namespace=ns,
                    backup_ref=g(o, "spec", "backupRef", "name"),
                    target_instance=g(
                        o, "spec", "target", "instanceRef", "name",
                        default=g(o, "spec", "target", "clusterInstanceRef",
                                  "name")),
                    phase=phase(o))
            count(plural, o, ns)
    # the newest completed backup of orders_db is orders-2 (uncompressed
    # 2000, since its compressed size is 0); the soonest schedule: nightly
    put("dbops_backup_size_bytes", 2000, database="orders_db",
        engine="postgres", namespace="db")
    put("dbops_backup_last_success_timestamp_seconds", T2_EPOCH,
        database="orders_db", engine="postgres", namespace="db")
    put("dbops_schedule_next_backup_timestamp_seconds", T3_EPOCH,
        database="orders", namespace="db")
    return out


def dynamo_status(plural, o):
    s = o.get("status") or {}
    if plural == "dynamographdeployments":
        return s.get("state", "")
    if plural == "dynamographdeploymentrequests":
        return s.get("phase", "")
    if plural == "dynamocomponentdeployments":
        avail = any(c["type"] == "Available" and c["status"] == "True"
                    for c in s.get("conditions", []))
        current = s.get("observedGeneration", 0) >= \
            o["metadata"].get("generation", 0)
        return "ready" if avail and current else "not_ready"
    if plural == "dynamomodels":
        total = s.get("totalEndpoints", 0)
        covered = s.get("readyEndpoints", 0) + \
            s.get("loraFallbackCoveredEndpoints", 0)
        return "ready" if total > 0 and covered >= total else "not_ready"
    ok = s.get("selector") and s.get("replicas", 0) != 0
    return "ready" if ok else "not_ready"


def expected_dynamo(objects):
    out = {}
    kinds = {p: k for p, k, _, _ in DYNAMO_KINDS}
    for plural, items in objects.items():
        for o in items:
            key = present({"resource_type": kinds[plural],
                           "namespace": o["metadata"]["namespace"],
                           "status": dynamo_status(plural, o)})
            out[key] = out.get(key, 0) + 1
    return out


# --- the environment ----------------------------------------------------------

def widgets_resource(*lines):
    return ("  <Resource>\n    Group \"example.com\"\n    Version \"v1\"\n"
            "    Resource \"widgets\"\n" +
            "".join("    %s\n" % line for line in lines) + "  </Resource>\n")


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.pki = PKI(wd)
        self.token = "tok-" + secrets.token_hex(16)
        self.api = FakeAPIServer(self.pki, [self.token])
        self.token_file = wd.file("token", self.token + "\n")
        self.load_objects()
        url = self.api.url()
        common = ('  APIServer "%s"\n  BearerTokenFile "%s"\n' %
                  (url, self.token_file))
        ca = '  CACert "%s"\n' % self.pki.ca
        blocks = (
            '<Kubernetes "cluster">\n' + common + ca +
            '  PageSize 2\n  MaxPages 20\n  Interval 2\n'
            '  Preset "dbops"\n  Preset "dynamo"\n  Preset "datum"\n' +
            widgets_resource('Label "color" "spec.color"',
                             'CountBy "status.phase"', 'Value "spec.size"',
                             'Value "status.lastUpdated" '
                             '"last_updated_timestamp_seconds"') +
            '</Kubernetes>\n'
            '<Kubernetes "scoped">\n  BearerTokenFile "%s"\n' % self.token_file
            + ca + '  Namespace "shop"\n' +
            widgets_resource('Prefix "scoped"', 'Info false',
                             'CountBy "spec.color"') + '</Kubernetes>\n'
            '<Kubernetes "limited">\n' + common + ca + '  MaxObjects 3\n' +
            widgets_resource('Prefix "limited"', 'Info false',
                             'CountBy "spec.color"') + '</Kubernetes>\n'
            '<Kubernetes "slow">\n' + common + ca +
            widgets_resource('Prefix "slow_a"', 'Info false',
                             'CountBy "spec.color"').replace(
                '"widgets"', '"slowa"') +
            widgets_resource('Prefix "slow_b"', 'Info false',
                             'CountBy "spec.color"').replace(
                '"widgets"', '"slowb"') + '</Kubernetes>\n'
            # Include leaves out the resource's info series, which would
            # repeat "cluster"'s, and Exclude one of its value families
            '<Kubernetes "chosen">\n' + common + ca +
            '  Include "chosen_*"\n  Exclude "chosen_spec_size"\n' +
            widgets_resource('Prefix "chosen"', 'CountBy "status.phase"',
                             'Value "spec.size"') + '</Kubernetes>\n'
            '<Kubernetes "untrusted">\n' + common +
            widgets_resource('Prefix "untrusted"', 'Info false',
                             'CountBy "spec.color"') + '</Kubernetes>\n')
        self.collectd = Collectd(wd, blocks, extra_env={
            "KUBERNETES_SERVICE_HOST": "127.0.0.1",
            "KUBERNETES_SERVICE_PORT": str(self.api.port)})
        self.collectd.wait_ready()
        self.prom = Prometheus(wd, "prometheus", scrape_config(
            "collectd", "127.0.0.1:%d" % self.collectd.port, relabel=True))
        wait_until("the inventory in Prometheus", lambda: series(
            self, 'dynamo_operator_resources_total'), timeout=60)

    def load_objects(self):
        load_objects(self.api)

    def stop(self):
        for p in (getattr(self, "prom", None), getattr(self, "collectd",
                                                       None)):
            if p is not None:
                p.stop()
        self.api.stop()


def series(e, selector):
    return e.prom.query(selector)


def family_map(e, family, **match):
    """{frozenset(labels without job/instance): value} in Prometheus."""
    sel = family + ("{%s}" % ",".join('%s="%s"' % kv for kv in match.items())
                    if match else "")
    out = {}
    target = "127.0.0.1:%d" % e.collectd.port
    for metric, v in series(e, sel):
        labels = {k: val for k, val in metric.items()
                  if k not in ("__name__", "job") and
                  not (k == "instance" and val == target) and
                  not (k == "block" and family.startswith("operator_"))}
        out[frozenset(labels.items())] = v
    return out


def state_of(e, block, resource):
    for metric, v in series(e, 'operator_metrics_kubernetes_resource_state'
                               '{block="%s",resource="%s"}' % (block,
                                                               resource)):
        if v == 1:
            return metric["state"]
    return None


def failures(e, block, resource, reason):
    got = series(e, 'operator_metrics_kubernetes_list_failures_total{block='
                    '"%s",resource="%s",reason="%s"}' % (block, resource,
                                                         reason))
    return got[0][1] if got else None


def wait_family(e, family, want, what=None, timeout=30, **match):
    last = {}

    def check():
        last["got"] = family_map(e, family, **match)
        return last["got"] == want
    try:
        wait_until(what or family, check, timeout=timeout)
    except AssertionError:
        def show(m):
            return sorted("%s=%s" % (sorted(k), v) for k, v in m.items())
        got = last.get("got", {})
        raise AssertionError("%s: missing or wrong %s\nunexpected %s" % (
            family, show({k: v for k, v in want.items() if got.get(k) != v}),
            show({k: v for k, v in got.items() if want.get(k) != v})))


def wait_state(e, block, resource, state, timeout=20, what=""):
    wait_until("%s %s in state %s %s" % (block, resource, state, what),
               lambda: state_of(e, block, resource) == state, timeout=timeout)


RESTORES = "databaserestores.%s/v1alpha1" % DBOPS
WIDGETS_ID = "widgets.example.com/v1"


# --- tests -----------------------------------------------------------------------

def test_dbops_preset_families(e):
    want = expected_dbops(DBOPS_OBJECTS)
    for family, series_want in sorted(want.items()):
        wait_family(e, family, series_want)


def test_dynamo_preset_and_dashboard_query(e):
    wait_family(e, "dynamo_operator_resources_total",
                expected_dynamo(DYNAMO_OBJECTS))
    got = {(m["resource_type"], m.get("status", "")): v for m, v in series(
        e, "sum by (resource_type, status) (dynamo_operator_resources_total)")}
    want = {}
    for (k, v) in expected_dynamo(DYNAMO_OBJECTS).items():
        d = dict(k)
        key = (d["resource_type"], d.get("status", ""))
        want[key] = want.get(key, 0) + v
    assert got == want, (got, want)


def test_datum_preset_and_dashboard_queries(e):
    for group, kind, n in ((MILO, "Organization", 3), (MILO, "Project", 2),
                           (COMPUTE, "Workload", 2)):
        q = ("count(kube_customresource_info{customresource_group='%s', "
             "customresource_kind='%s'})" % (group, kind))
        wait_until(q, lambda: [v for _, v in series(e, q)] == [n])
    want = {}
    for group, version, plural, kind, _ in DATUM_KINDS:
        ctype = "Available" if plural == "workloads" else "Ready"
        for o in DATUM_OBJECTS[plural]:
            current = "Unknown"
            for c in (o.get("status") or {}).get("conditions", []):
                if c["type"] == ctype:
                    current = c["status"]
            for st in ("True", "False", "Unknown"):
                labels = {"customresource_group": group,
                          "customresource_version": version,
                          "customresource_kind": kind,
                          "name": o["metadata"]["name"],
                          "condition": ctype, "status": st}
                if "namespace" in o["metadata"]:
                    labels["namespace"] = o["metadata"]["namespace"]
                want[frozenset(labels.items())] = 1 if st == current else 0
    wait_family(e, "kube_customresource_status_condition", want)


def test_customresource_info_and_generic_resource(e):
    want_info, want_count, want_size, want_updated = {}, {}, {}, {}
    for o in WIDGETS:
        m = o["metadata"]
        ident = {"customresource_group": "example.com",
                 "customresource_version": "v1",
                 "customresource_kind": "Widget",
                 "namespace": m["namespace"], "name": m["name"]}
        want_info[frozenset(dict(ident, color=o["spec"]["color"]).items())] \
            = 1
        want_size[frozenset(ident.items())] = o["spec"]["size"]
        want_updated[frozenset(ident.items())] = \
            T2_EPOCH if o["status"]["lastUpdated"] == T2 else 1795136400.0
        key = dict(ident, phase=o["status"]["phase"])
        del key["name"]
        key = frozenset(key.items())
        want_count[key] = want_count.get(key, 0) + 1
    wait_family(e, "kube_customresource_info", want_info,
                customresource_group="example.com")
    wait_family(e, "kube_customresource_count", want_count)
    wait_family(e, "kube_customresource_spec_size", want_size)
    wait_family(e, "kube_customresource_last_updated_timestamp_seconds",
                want_updated)
    # every listed object of the presets has its info series too
    got = {v for _, v in series(
        e, 'count(kube_customresource_info{customresource_group="%s"})'
        % DBOPS)}
    assert got == {float(sum(len(v) for v in DBOPS_OBJECTS.values()))}, got


def test_block_chooses_its_families(e):
    wait_until("the chosen block's count", lambda: series(
        e, "chosen_count"), timeout=30)
    got = {m["__name__"] for m, _ in series(e, '{__name__=~"chosen_.+"}')}
    assert got == {"chosen_count"}, got
    # no info series of widgets but "cluster"'s: one per object
    got = series(e, 'count(kube_customresource_info{'
                    'customresource_group="example.com"})')
    assert [v for _, v in got] == [float(len(WIDGETS))], got
    # the block's own health goes out whatever its patterns say
    assert series(e, 'operator_metrics_kubernetes_resource_state{'
                     'block="chosen"}')


def test_pagination_follows_continue(e):
    e.api.requests.clear()
    wait_until("a listing of widgets after the reset", lambda: len(
        [r for r in e.api.requests_for("widgets")
         if r[1].get("limit") == "2" and r[1].get("continue")]) >= 2)
    reqs = [r for r in e.api.requests_for("widgets")
            if r[1].get("limit") == "2"]
    firsts = [r for r in reqs if "continue" not in r[1]]
    conts = [r for r in reqs if "continue" in r[1]]
    assert firsts and conts, reqs
    # 5 widgets in pages of 2: every first page is followed by two more
    wait_until("the objects gauge", lambda: [v for _, v in series(
        e, 'operator_metrics_kubernetes_objects{block="cluster",resource="%s"}'
        % WIDGETS_ID)] == [5.0])
    # the scoped block lists /namespaces/shop/ only, and counts shop only
    scoped = [r for r in e.api.requests_for("widgets")
              if "/namespaces/" in r[0]]
    assert scoped and all("/namespaces/shop/" in r[0] for r in scoped), scoped
    want = {}
    for o in WIDGETS:
        if o["metadata"]["namespace"] != "shop":
            continue
        key = frozenset({"customresource_group": "example.com",
                         "customresource_version": "v1",
                         "customresource_kind": "Widget",
                         "namespace": "shop",
                         "color": o["spec"]["color"]}.items())
        want[key] = want.get(key, 0) + 1
    wait_family(e, "scoped_count", want)


def test_objects_added_and_removed(e):
    api = e.api
    objects = {k: list(v) for k, v in DYNAMO_OBJECTS.items()}
    # g2 (the only failed DGD in ai) goes, two new ones come
    api.delete("dynamographdeployments", "ai", "g2")
    objects["dynamographdeployments"] = [
        o for o in objects["dynamographdeployments"]
        if o["metadata"]["name"] != "g2"]
    for o in (obj("g5", "ai", status={"state": "pending"}),
              obj("g6", "ml", status={"state": "successful"})):
        api.put("dynamographdeployments", o)
        objects["dynamographdeployments"].append(o)
    want = expected_dynamo(objects)
    gone = frozenset({"resource_type": "DynamoGraphDeployment",
                      "namespace": "ai", "status": "failed"}.items())
    assert gone not in want
    want[gone] = 0  # a status that emptied is dispatched at zero
    wait_family(e, "dynamo_operator_resources_total", want)
    # a deleted object's series disappears, a new one appears
    api.delete("databaserestores", "db", "r2")
    wait_until("r2's info series to go", lambda: not series(
        e, 'dbops_restore_info{restore="r2"}'))
    wait_until("r2 to leave collectd", lambda: not [
        s for s in e.collectd.samples()
        if s[0] == "dbops_restore_info" and s[1].get("restore") == "r2"])
    restored = [o for o in DBOPS_OBJECTS["databaserestores"]
                if o["metadata"]["name"] == "r2"][0]
    api.put("databaserestores", restored)
    wait_until("r2 to come back", lambda: series(
        e, 'dbops_restore_info{restore="r2"}'))
    # put the DGDs back as they were
    for o in objects["dynamographdeployments"]:
        if o["metadata"]["name"] in ("g5", "g6"):
            api.delete("dynamographdeployments", o["metadata"]["namespace"],
                       o["metadata"]["name"])
    api.put("dynamographdeployments", DYNAMO_OBJECTS[
        "dynamographdeployments"][1])


def log_lines(e, text):
    return [line for line in e.collectd.log().splitlines() if text in line]


def test_bad_objects_skipped_others_kept(e):
    # a name with a NUL byte (which once read as "nul", another object's
    # name) and one past 253 bytes: each skipped and counted, the others
    # kept, the listing still ok
    api = e.api
    bad = [widget("nul\x00byte", "shop", "blue", "Ready", 1),
           widget("nul", "shop", "blue", "Ready", 1),
           widget("x" * 300, "shop", "blue", "Ready", 1)]
    skipped = ('operator_metrics_kubernetes_skipped_objects{block="cluster",'
               'resource="%s"}' % WIDGETS_ID)
    for o in bad:
        api.put("widgets", o)
    try:
        wait_until("two widgets skipped", lambda: [
            v for _, v in series(e, skipped)] == [2.0], timeout=20)
        assert state_of(e, "cluster", WIDGETS_ID) == "ok"
        names = {m["name"] for m, _ in series(
            e, 'kube_customresource_info{customresource_group="example.com"}')}
        assert names == {"w1", "w2", "w3", "w4", "w5", "nul"}, names
        logged = log_lines(e, "%s: skipped 2 object(s) that cannot be mapped"
                           % WIDGETS_ID)
        assert logged and "is not a DNS subdomain" in logged[0], logged
    finally:
        for o in bad:
            api.delete("widgets", "shop", o["metadata"]["name"])
    wait_until("none skipped once they are gone", lambda: [
        v for _, v in series(e, skipped)] == [0.0], timeout=20)


def test_forbidden_resource_is_reported_and_others_go_on(e):
    api = e.api
    before = failures(e, "cluster", RESTORES, "forbidden") or 0
    api.fault("databaserestores", {"status": 403})
    try:
        wait_state(e, "cluster", RESTORES, "forbidden")
        # the last complete listing stays
        assert len(series(e, "dbops_restore_info")) == 2
        # the others go on: a new widget shows up meanwhile
        api.put("widgets", widget("w9", "shop", "blue", "Ready", 1))
        wait_until("w9", lambda: series(
            e, 'kube_customresource_info{name="w9"}'))
        assert state_of(e, "scoped", WIDGETS_ID) == "ok"
        wait_until("several refused listings", lambda: (failures(
            e, "cluster", RESTORES, "forbidden") or 0) - before >= 6,
            timeout=30)
        n = failures(e, "cluster", RESTORES, "forbidden") - before
        logged = log_lines(e, "cannot list %s (forbidden)" % RESTORES)
        assert logged and 'cannot list resource \\"databaserestores\\"' \
            not in logged[0], logged
        assert 'User "system:serviceaccount:monitoring:collectd"' \
            in logged[0], logged[0]
        # rate-limited: fewer log lines than refused listings
        assert len(logged) < n, (len(logged), n)
    finally:
        api.fault("databaserestores", None)
        api.delete("widgets", "shop", "w9")
    wait_state(e, "cluster", RESTORES, "ok")
    assert log_lines(e, "%s: listing works again" % RESTORES)


def test_crd_not_installed_is_not_an_error(e):
    plural = "dynamographdeploymentscalingadapters"
    rid = "%s.nvidia.com/v1alpha1" % plural
    saved = e.api.undefine(plural)
    try:
        wait_state(e, "cluster", rid, "not_installed")
        # an empty listing: its counts drop to zero, nothing is logged as
        # an error, the rest goes on
        kind = "DynamoGraphDeploymentScalingAdapter"
        want = {k: 0 for k in expected_dynamo(DYNAMO_OBJECTS)
                if dict(k)["resource_type"] == kind}
        assert len(want) == 2, want
        wait_family(e, "dynamo_operator_resources_total", want,
                    resource_type=kind)
        assert [v for _, v in series(
            e, 'operator_metrics_kubernetes_objects{resource="%s"}' % rid)] \
            == [0.0]
        assert not log_lines(e, "cannot list %s" % rid)
        assert log_lines(e, "%s is not served (HTTP 404: 404 page not found)"
                         % rid)
        assert state_of(e, "cluster", RESTORES) == "ok"
    finally:
        e.api.define_again(saved)
    wait_state(e, "cluster", rid, "ok")


def test_expired_continue_token_restarts_once(e):
    before = failures(e, "cluster", WIDGETS_ID, "expired") or 0
    e.api.fault("widgets", {"expire": "once"})
    wait_until("one expired continue token", lambda: (failures(
        e, "cluster", WIDGETS_ID, "expired") or 0) == before + 1)
    assert log_lines(e, "%s: the continue token expired" % WIDGETS_ID)
    assert state_of(e, "cluster", WIDGETS_ID) == "ok"
    # every time: the listing cannot complete, the last one stays
    e.api.fault("widgets", {"expire": "always"})
    try:
        wait_state(e, "cluster", WIDGETS_ID, "expired")
        assert len(series(e, 'kube_customresource_info{customresource_kind='
                             '"Widget"}')) == 5
    finally:
        e.api.fault("widgets", None)
    wait_state(e, "cluster", WIDGETS_ID, "ok")


def test_malformed_and_oversized_pages_keep_the_last_listing(e):
    sizes = 'kube_customresource_spec_size{name="w2"}'
    for fault, state in (({"malformed": True}, "invalid"),
                         ({"huge": 20 * 1024 * 1024}, "too_large")):
        e.api.fault("widgets", fault)
        try:
            wait_state(e, "cluster", WIDGETS_ID, state)
            assert [v for _, v in series(e, sizes)] == [5.5]
            assert len(series(e, 'kube_customresource_info{customresource_'
                                 'kind="Widget"}')) == 5
            assert state_of(e, "cluster", RESTORES) == "ok"
            assert e.collectd.process.alive()
        finally:
            e.api.fault("widgets", None)
        wait_state(e, "cluster", WIDGETS_ID, "ok")
    assert log_lines(e, "cannot list %s (invalid): the body is not JSON"
                     % WIDGETS_ID)
    assert log_lines(e, "cannot list %s (too_large): response body exceeds"
                     % WIDGETS_ID) or log_lines(
        e, "cannot list %s (too_large): response announces" % WIDGETS_ID)


def requests_of(e, plural):
    return len(e.api.requests_for(plural))


def test_endless_pagination_is_cut(e):
    # a server that hands out the same continue token forever, or a new
    # one forever: the listing is refused at once (same token) or after
    # MaxPages pages (new tokens), every read, never hundreds a second
    restores = "databaserestores"
    for mode, why in (("same", "came with the same continue token as the "
                               "page before it"),
                      ("new", "no end of the listing after MaxPages (20) "
                              "pages")):
        e.api.fault(restores, {"endless": mode})
        try:
            wait_state(e, "cluster", RESTORES, "invalid", what=mode)
            before, t0 = requests_of(e, restores), time.monotonic()
            time.sleep(4.2)  # two reads at Interval 2
            per_read = (requests_of(e, restores) - before) / (
                (time.monotonic() - t0) / 2)
            assert per_read <= (2 if mode == "same" else 20) * 1.5, (
                mode, per_read)
            assert len(series(e, "dbops_restore_info")) == 2
            assert log_lines(e, why), why
        finally:
            e.api.fault(restores, None)
        wait_state(e, "cluster", RESTORES, "ok")


def test_throttled_resource_waits_for_retry_after(e):
    restores = "databaserestores"
    before = failures(e, "cluster", RESTORES, "throttled") or 0
    e.api.fault(restores, {"throttle": "5"})
    try:
        wait_state(e, "cluster", RESTORES, "throttled")
        t0, asked = time.monotonic(), requests_of(e, restores)
        # Retry-After 5 at Interval 2: no request for about 5 s
        wait_until("the next request, after Retry-After", lambda:
                   requests_of(e, restores) > asked, timeout=15)
        waited = time.monotonic() - t0
        assert waited >= 3.5, waited
        assert len(series(e, "dbops_restore_info")) == 2  # the last listing
        assert state_of(e, "scoped", WIDGETS_ID) == "ok"
        got = failures(e, "cluster", RESTORES, "throttled") - before
        assert 1 <= got <= 3, got
        assert log_lines(e, "cannot list %s (throttled): HTTP 429 "
                            "TooManyRequests" % RESTORES)
    finally:
        e.api.fault(restores, None)
    wait_state(e, "cluster", RESTORES, "ok", timeout=30)
    # without Retry-After: tried again at the next interval
    e.api.fault(restores, {"throttle": ""})
    try:
        wait_state(e, "cluster", RESTORES, "throttled")
        asked = requests_of(e, restores)
        wait_until("a request at the next interval", lambda:
                   requests_of(e, restores) > asked, timeout=5)
    finally:
        e.api.fault(restores, None)
    wait_state(e, "cluster", RESTORES, "ok", timeout=30)


def test_max_objects_bounds_the_listing(e):
    wait_state(e, "limited", WIDGETS_ID, "too_many_objects")
    assert not series(e, "limited_count")
    assert log_lines(e, "more than MaxObjects (3): 2 listed with this page, "
                        "3 more announced") or log_lines(
        e, "more than MaxObjects (3): 5 listed with this page")


def test_tls_verification_is_on_by_default(e):
    wait_state(e, "untrusted", WIDGETS_ID, "unavailable")
    assert not series(e, "untrusted_count")
    assert [line for line in log_lines(e, "cannot list %s (unavailable)"
                                       % WIDGETS_ID)
            if "untrusted" in line and "certificate" in line]


def test_slow_server_starves_no_resource(e):
    # 0.6 s per answer, 0.9 s per read: each read lists one of the two and
    # runs out of time in the other; the next read starts with that one
    for plural in ("slowa", "slowb"):
        rid = "%s.example.com/v1" % plural
        wait_until("a complete listing of %s" % plural, lambda: [
            v for _, v in series(e, 'operator_metrics_kubernetes_objects'
                                    '{block="slow",resource="%s"}' % rid)]
            == [5.0])
    assert [line for line in log_lines(e, "kubernetes/slow")
            if "the read's deadline" in line]
    want = {}
    for o in WIDGETS:
        key = frozenset({"customresource_group": "example.com",
                         "customresource_version": "v1",
                         "customresource_kind": "Widget",
                         "namespace": o["metadata"]["namespace"],
                         "color": o["spec"]["color"]}.items())
        want[key] = want.get(key, 0) + 1
    wait_family(e, "slow_b_count", want)


SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def test_in_cluster_service_account_defaults(e):
    """Inside a pod the block needs no address, token or CA: they come from
    KUBERNETES_SERVICE_HOST/PORT and the mounted service account. The test
    mounts one (it runs as root in CI) and takes it away afterwards."""
    assert not os.path.exists(SA_DIR), (
        "%s exists: a real service account is mounted here" % SA_DIR)
    made = []
    path = SA_DIR
    while not os.path.exists(path):
        made.append(path)
        path = os.path.dirname(path)
    wd = Workdir("in-cluster")
    try:
        os.makedirs(SA_DIR)
        with open(os.path.join(SA_DIR, "token"), "w") as f:
            f.write(e.token + "\n")
        with open(e.pki.ca) as src, \
                open(os.path.join(SA_DIR, "ca.crt"), "w") as f:
            f.write(src.read())
        c = Collectd(wd, '<Kubernetes "pod">\n  Preset "datum"\n'
                     '</Kubernetes>\n', name="collectd-pod", extra_env={
                         "KUBERNETES_SERVICE_HOST": "127.0.0.1",
                         "KUBERNETES_SERVICE_PORT": str(e.api.port)})
        try:
            c.wait_ready()
            wait_until("organizations listed with the mounted account",
                       lambda: [s for s in c.samples() if s[0].endswith(
                           "operator_metrics_kubernetes_objects") and
                           "organizations" in str(s[1]) and s[2] == 3.0])
        finally:
            c.stop()
    finally:
        for name in ("token", "ca.crt"):
            if os.path.exists(os.path.join(SA_DIR, name)):
                os.unlink(os.path.join(SA_DIR, name))
        for path in made:
            os.rmdir(path)
        wd.cleanup()


def test_token_rewritten_is_picked_up(e):
    new = "tok-" + secrets.token_hex(16)
    e.api.set_tokens([new])
    try:
        wait_state(e, "cluster", RESTORES, "unauthorized")
        wait_state(e, "scoped", WIDGETS_ID, "unauthorized")
        assert len(series(e, "dbops_restore_info")) == 2
        with open(e.token_file, "w") as f:
            f.write(new + "\n")
        wait_state(e, "cluster", RESTORES, "ok")
        wait_state(e, "scoped", WIDGETS_ID, "ok")
        assert e.collectd.process.alive()
    finally:
        e.token = new
    log = e.collectd.log()
    assert new not in log and "tok-" not in log, "a token was logged"
    assert "cannot list %s (unauthorized): HTTP 401 Unauthorized" % RESTORES \
        in log


CONFIG_ERRORS = [
    ("unknown preset", '<Kubernetes "k">\n APIServer "https://127.0.0.1:1"\n'
     ' Preset "flux"\n</Kubernetes>',
     'operator_metrics(kubernetes/k): option "Preset": "flux" is not one of '
     'dbops, dynamo, datum'),
    ("nothing to list", '<Kubernetes "k">\n APIServer "https://127.0.0.1:1"'
     '\n</Kubernetes>',
     'operator_metrics(kubernetes/k): nothing to list'),
    ("bad path", '<Kubernetes "k">\n APIServer "https://127.0.0.1:1"\n'
     ' <Resource>\n  Group "a.io"\n  Version "v1"\n  Resource "xs"\n'
     '  Label "x" "spec..x"\n </Resource>\n</Kubernetes>',
     'operator_metrics(kubernetes/k): option "Label": path "spec..x": empty '
     'key at character 6'),
    ("twice", '<Kubernetes "k">\n APIServer "https://127.0.0.1:1"\n'
     ' Preset "datum"\n <Resource>\n  Group "compute.datumapis.com"\n'
     '  Version "v1alpha"\n  Resource "workloads"\n </Resource>\n'
     '</Kubernetes>',
     'resource "workloads.compute.datumapis.com/v1alpha" is listed twice'),
    ("documented family", '<Kubernetes "k">\n APIServer "https://127.0.0.1:1"'
     '\n <Resource>\n  Group "a.io"\n  Version "v1"\n  Resource "xs"\n'
     '  Prefix "dbops"\n  Value "status.size" "backup_size_bytes"\n'
     ' </Resource>\n</Kubernetes>',
     'family "dbops_backup_size_bytes" is a documented family'),
    ("outside a cluster", '<Kubernetes "k">\n Preset "dbops"\n</Kubernetes>',
     'option "APIServer" is required outside a cluster'),
]


def test_config_errors_stop_collectd(_e):
    assert_config_refused(CONFIG_ERRORS)


TESTS = [
    test_dbops_preset_families,
    test_dynamo_preset_and_dashboard_query,
    test_datum_preset_and_dashboard_queries,
    test_block_chooses_its_families,
    test_customresource_info_and_generic_resource,
    test_pagination_follows_continue,
    test_objects_added_and_removed,
    test_bad_objects_skipped_others_kept,
    test_forbidden_resource_is_reported_and_others_go_on,
    test_crd_not_installed_is_not_an_error,
    test_expired_continue_token_restarts_once,
    test_malformed_and_oversized_pages_keep_the_last_listing,
    test_endless_pagination_is_cut,
    test_throttled_resource_waits_for_retry_after,
    test_max_objects_bounds_the_listing,
    test_tls_verification_is_on_by_default,
    test_slow_server_starves_no_resource,
    test_in_cluster_service_account_defaults,
    test_token_rewritten_is_picked_up,
    test_config_errors_stop_collectd,
]


if __name__ == "__main__":
    sys.exit(run_suite("e2e.kubernetes", Env, TESTS))
