#!/usr/bin/env python3
"""End to end: the full combination for the DB Provision Operator, as the
README's "Which source for what" sets it up, in one real collectd 5.12 with
write_prometheus, judged by a real Prometheus 2.42:

  <Postgres "pg-main">    a real PostgreSQL 15 (health, sizes, connections);
                          the objects' info series and counts left to
  <Kubernetes "dbops">    the test API server with the dbops objects;
  <Backup "orders">       the server's real pgBackRest stanza "main",
  <Backup "billing">      a dump directory, a second database of the same
                          namespace: the documented sums add the two up;
  <Backup "orders-again"> the same stanza by a second command: reported
                          as a duplicate, its copy never sent;
  <Target "dbops-operator">  the operator stand-in's /metrics with
                          Preset "dbops-operator";
  <Target "operator-raw"> the operator's first-hand families without a
                          preset: left to the blocks that own them.

Every dbops_* series must arrive once, with its documented labels; the
tables have one row per object; the counts equal the API's objects; and
collectd never logs "Value too old". Overlapping blocks are refused at
start-up with both blocks and the family named.
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PKI, Collectd, Fixture, Prometheus,  # noqa: E402
                     Workdir, assert_config_refused, run_suite,
                     scrape_config, wait_until)
from kube_apiserver import FakeAPIServer  # noqa: E402
from kube_objects import DBOPS, DBOPS_KINDS, DBOPS_OBJECTS  # noqa: E402
from pgbackrest_repo import PgBackRest  # noqa: E402
from pgserver import PostgresServer  # noqa: E402
from test_kubernetes import expected_dbops  # noqa: E402

NS = "db"
MON_PASSWORD = "mon-Secret-24c1e"
HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "data", "documented-families.md")
# the families the <Kubernetes> block takes from the API (the tables)
FROM_API = ["dbops_instance_info", "dbops_database_info", "dbops_user_info",
            "dbops_role_info", "dbops_grant_info", "dbops_backup_info",
            "dbops_schedule_info", "dbops_restore_info",
            "dbops_schedule_next_backup_timestamp_seconds",
            "dbops_resource_count"]
# the sums: exactly the documented labels, never a database
SUMS = ["dbops_backup_operations_total", "dbops_backup_duration_seconds",
        "dbops_scheduled_backups_total"]


def documented_labels():
    """{family: set of label names} from the project's documented table."""
    out = {}
    with open(DOC) as f:
        for line in f:
            cols = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cols) == 4 and cols[0].startswith("dbops_"):
                out[cols[0]] = (set() if cols[2] == "-" else
                                {c.strip() for c in cols[2].split(",")})
    return out


def family_of(name, documented):
    for suffix in ("_bucket", "_sum", "_count", ""):
        base = name[:len(name) - len(suffix)] if suffix else name
        if name.endswith(suffix) and base in documented:
            return base
    return None


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.repo = PgBackRest(wd)
        self.pg = PostgresServer(wd, "main",
                                 settings=self.repo.archive_settings())
        self.repo.attach(self.pg)
        self.pg.psql("CREATE ROLE collectd_mon LOGIN PASSWORD '%s'" %
                     MON_PASSWORD, "GRANT pg_monitor TO collectd_mon")
        self.mon_pw = wd.file("mon.pw", MON_PASSWORD + "\n", mode=0o600)
        self.dumps = os.path.join(wd.path, "billing-dumps")
        os.makedirs(self.dumps)
        self.pki = PKI(wd)
        self.token = "tok-combined"
        self.api = FakeAPIServer(self.pki, [self.token])
        for plural, kind, namespaced in DBOPS_KINDS:
            self.api.define(DBOPS, "v1alpha1", plural, kind, namespaced)
            for o in DBOPS_OBJECTS[plural]:
                self.api.put(plural, o)
        self.token_file = wd.file("token", self.token + "\n")
        self.operator = Fixture(wd, "operator")
        self.collectd = Collectd(wd, self.blocks())
        self.collectd.wait_ready()
        self.prom = Prometheus(wd, "prometheus", scrape_config(
            "collectd", "127.0.0.1:%d" % self.collectd.port, relabel=True))
        wait_until("every block's first series in Prometheus", lambda: all(
            self.prom.query(q) for q in (
                'dbops_instance_healthy{instance="pg-main"}',
                'dbops_database_info', 'dbops_user_operations_total',
                'operator_metrics_backup_source_state{block="orders",'
                'state=~"ok|duplicate"} == 1',
                'operator_metrics_backup_source_state{block="billing",'
                'state="ok"} == 1',
                'operator_metrics_family_owned_elsewhere')), timeout=60)

    def blocks(self):
        backup = self.repo.collectd_command()
        return "".join([
            '<Postgres "pg-main">\n  Host "127.0.0.1"\n  Port %d\n'
            '  User "collectd_mon"\n  PasswordFile "%s"\n'
            '  Namespace "%s"\n  Interval 2\n'
            '  Exclude "dbops_*_info" "dbops_resource_count"\n</Postgres>\n'
            % (self.pg.port, self.mon_pw, NS),
            '<Kubernetes "dbops">\n  APIServer "%s"\n  BearerTokenFile "%s"\n'
            '  CACert "%s"\n  Interval 2\n  Preset "dbops"\n'
            '  CustomResourceInfo false\n'
            '  Exclude "dbops_backup_size_bytes"\n'
            '  Exclude "dbops_backup_last_success_timestamp_seconds"\n'
            '</Kubernetes>\n' % (self.api.url(), self.token_file,
                                 self.pki.ca),
            '<Backup "orders">\n  Type "pgbackrest"\n  Command %s\n'
            '  Stanza "main"\n  Namespace "%s"\n  Interval 2\n'
            '  Exclude "dbops_backup_info"\n</Backup>\n' % (backup, NS),
            '<Backup "orders-again">\n  Type "pgbackrest"\n  Command %s\n'
            '  Namespace "%s"\n  Interval 2\n'
            '  Exclude "dbops_backup_info"\n</Backup>\n' % (backup, NS),
            '<Backup "billing">\n  Type "directory"\n  Path "%s"\n'
            '  Namespace "%s"\n  Interval 2\n'
            '  Exclude "dbops_backup_info"\n</Backup>\n' % (self.dumps, NS),
            '<Target "dbops-operator">\n  URL "%s"\n  Interval 2\n'
            '  Preset "dbops-operator"\n</Target>\n' %
            self.operator.url("/dbops"),
            '<Target "operator-raw">\n  URL "%s"\n  Interval 2\n</Target>\n' %
            self.operator.url("/dbops/firsthand"),
        ])

    def stop(self):
        for p in ("prom", "collectd", "operator", "pg"):
            if hasattr(self, p):
                getattr(self, p).stop()
        self.api.stop()


def collectd_target(e):
    return "127.0.0.1:%d" % e.collectd.port


def own_labels(e, metric):
    """A series' labels without Prometheus' job and collectd's instance."""
    return {k: v for k, v in metric.items()
            if k not in ("__name__", "job") and
            not (k == "instance" and v == collectd_target(e))}


def dbops_series(e):
    return e.prom.query('{__name__=~"dbops_.+"}')


# --- tests -----------------------------------------------------------------

def test_every_series_once_with_documented_labels(e):
    documented = documented_labels()
    seen = collections.Counter()
    sources = collections.defaultdict(set)
    for metric, _ in dbops_series(e):
        family = family_of(metric["__name__"], documented)
        assert family is not None, "undocumented series %s" % metric
        labels = own_labels(e, metric)
        extra = set(labels) - documented[family] - {"le", "instance"}
        if metric.get("job") == "dbops-operator":
            extra -= {"instance"}  # the operator target's own
        assert not extra, "%s carries %s beyond %s" % (
            metric["__name__"], sorted(extra), sorted(documented[family]))
        if family in SUMS:
            assert set(labels) - {"le"} == documented[family], metric
        key = (metric["__name__"], frozenset(
            (k, v) for k, v in labels.items()
            if not (k == "instance" and metric.get("job") != "collectd")))
        seen[key] += 1
        sources[family].add(metric.get("job"))
    twice = [k for k, n in seen.items() if n > 1]
    assert not twice, "series sent more than once: %s" % twice[:5]
    both = {f: s for f, s in sources.items() if len(s) > 1}
    assert not both, "families from two sources: %s" % both
    # the operator's own counters come from its target, the rest first-hand
    assert sources["dbops_user_operations_total"] == {"dbops-operator"}
    assert sources["dbops_instance_healthy"] == {"collectd"}


def table(e, family):
    """{frozenset(labels): value} of a family, as test_kubernetes compares."""
    return {frozenset(own_labels(e, m).items()): v
            for m, v in e.prom.query(family)}


def test_tables_one_row_per_object(e):
    want = expected_dbops(DBOPS_OBJECTS)
    for family in FROM_API:
        last = {}

        def same():
            last["got"] = table(e, family)
            return last["got"] == want.get(family, {})
        try:
            wait_until(family, same, timeout=30)
        except AssertionError:
            raise AssertionError("%s: got %s, want %s" % (
                family, sorted(last["got"].items()),
                sorted(want.get(family, {}).items())))
    # the Instances, Databases, Users, Roles and Grants tables' row counts
    for family, plurals in (
            ("dbops_instance_info", ["databaseinstances",
                                     "clusterdatabaseinstances"]),
            ("dbops_database_info", ["databases"]),
            ("dbops_user_info", ["databaseusers"]),
            ("dbops_role_info", ["databaseroles", "clusterdatabaseroles"])):
        rows = e.prom.query("count(%s)" % family)
        assert rows[0][1] == sum(len(DBOPS_OBJECTS[p]) for p in plurals), (
            family, rows)
    # the Overview: each kind's count is its objects in the API
    for plural, kind, _ in DBOPS_KINDS:
        got = e.prom.query('sum(dbops_resource_count{resource_type="%s"})' %
                           kind)
        assert got and got[0][1] == len(DBOPS_OBJECTS[plural]), (kind, got)


def success_sum(e):
    got = e.prom.query('dbops_backup_operations_total{namespace="%s",'
                       'status="success",engine="postgres"}' % NS)
    return got[0][1] if len(got) == 1 else None


def test_two_databases_of_a_namespace_add_up(e):
    # the first listings are the baseline: nothing counted yet
    wait_until("the baseline sum", lambda: success_sum(e) == 0, timeout=30)
    e.repo.backup("full")
    path = os.path.join(e.dumps, "billing-1.sql")
    with open(path, "w") as f:
        f.write("-- dump\n" * 100)
    wait_until("one backup of each database in the namespace's sum",
               lambda: success_sum(e) == 2, timeout=60)
    for family in SUMS:
        for metric, _ in e.prom.query('{__name__=~"%s.*"}' % family):
            assert "database" not in metric, metric
    count = e.prom.query('dbops_backup_duration_seconds_count{namespace="%s"}'
                         % NS)
    assert len(count) == 1 and count[0][1] == 1, count  # pgBackRest's only


def test_same_stanza_twice_is_reported_not_sent(e):
    states = {}

    def duplicate_state():
        for block in ("orders", "orders-again"):
            got = e.prom.query('operator_metrics_backup_source_state{block='
                               '"%s",state="duplicate"}' % block)
            states[block] = got[0][1] if got else None
        return sorted(states.values()) == [0, 1]
    wait_until("one of the two blocks in state duplicate", duplicate_state,
               timeout=30)
    later = [b for b, v in states.items() if v == 1][0]
    first = "orders" if later == "orders-again" else "orders-again"
    line = ('operator_metrics(backup/%s): database "main" of namespace "%s" '
            'is reported by block "backup/%s" already' % (later, NS, first))
    log = e.collectd.log()
    assert log.count(line) == 1, log
    sizes = e.prom.query('dbops_backup_size_bytes{namespace="%s",'
                         'database="main"}' % NS)
    assert len(sizes) == 1, sizes


def test_target_leaves_first_hand_families(e):
    got = {(m["family"], m["owner"]) for m, v in e.prom.query(
        'operator_metrics_family_owned_elsewhere{job="operator-raw"}')
        if v == 1}
    assert got == {("dbops_instance_healthy", "postgres/pg-main"),
                   ("dbops_database_info", "kubernetes/dbops"),
                   ("dbops_resource_count", "kubernetes/dbops")}, got
    assert not e.prom.query('{job="operator-raw",__name__=~"dbops_.+"}')
    log = e.collectd.log()
    line = ('family "dbops_instance_healthy" is left out: block '
            '"postgres/pg-main" sends it first-hand')
    assert log.count(line) == 1, log


def test_no_value_too_old(e):
    log = e.collectd.log()
    assert "Value too old" not in log, [
        line for line in log.splitlines() if "Value too old" in line][:5]


PG = ('<Postgres "%s">\n  Host "127.0.0.1"\n  Port 1\n  Namespace "db"\n'
      '%s</Postgres>\n')
KUBE = ('<Kubernetes "crs">\n  APIServer "https://127.0.0.1:1"\n'
        '  Preset "dbops"\n%s</Kubernetes>\n')
BACKUP = ('<Backup "%s">\n  Type "directory"\n  Path "/nonexistent"\n'
          '  Namespace "db"\n  Database "orders"\n</Backup>\n')
REFUSED = "would send the same series; collectd does not start"
CONFIG_ERRORS = [
    ("postgres and kubernetes on the info series",
     PG % ("pg", "") + KUBE % "",
     ['blocks "kubernetes/crs" and "postgres/pg" would both send '
      '"dbops_database_info" for namespace "db", instance "pg": a series has '
      'one owner', REFUSED]),
    ("the same database in two backup blocks",
     BACKUP % "a" + BACKUP % "b",
     ['blocks "backup/a" and "backup/b" would both send '
      '"dbops_backup_size_bytes" for namespace "db", database "orders"',
      REFUSED]),
    ("one server in two postgres blocks",
     PG % ("x", '  Instance "pg-main"\n') +
     PG % ("y", '  Instance "pg-main"\n'),
     ['blocks "postgres/x" and "postgres/y" would both send '
      '"dbops_instance_healthy" for namespace "db", instance "pg-main"']),
    ("an operator target including a first-hand family",
     PG % ("pg", '  Exclude "dbops_*_info"\n') +
     '<Target "op">\n  URL "http://127.0.0.1:1/metrics"\n'
     '  Preset "dbops-operator"\n  Include "dbops_instance_healthy"\n'
     '</Target>\n',
     ['blocks "postgres/pg" and "target/op" would both send '
      '"dbops_instance_healthy" for namespace "db", instance "pg"']),
    ("an unknown target preset",
     '<Target "op">\n  URL "http://127.0.0.1:1/metrics"\n'
     '  Preset "dbops"\n</Target>\n',
     'operator_metrics(target/op): option "Preset": "dbops" is not one of '
     'dbops-operator, dynamo-operator or datum-operator'),
]


def test_overlapping_blocks_are_refused(e):
    assert_config_refused(CONFIG_ERRORS)


def test_exclude_settles_the_overlap(e):
    """The first case above, with the counts and info series excluded on
    the <Postgres> block, starts (a server that is not there is a
    measurement)."""
    wd = Workdir("combined-ok")
    try:
        c = Collectd(wd, PG % ("pg", '  Exclude "dbops_*_info" '
                                     '"dbops_resource_count"\n') +
                     KUBE % "", name="settled")
        c.wait_ready()
        assert REFUSED not in c.log()
        c.stop()
    finally:
        wd.cleanup()


TESTS = [
    test_every_series_once_with_documented_labels,
    test_tables_one_row_per_object,
    test_two_databases_of_a_namespace_add_up,
    test_same_stanza_twice_is_reported_not_sent,
    test_target_leaves_first_hand_families,
    test_no_value_too_old,
    test_overlapping_blocks_are_refused,
    test_exclude_settles_the_overlap,
]


if __name__ == "__main__":
    sys.exit(run_suite("e2e.combined", Env, TESTS))
