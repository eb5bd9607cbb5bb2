#!/usr/bin/env python3
"""End to end: the <Postgres> collector in the real collectd 5.12 with
write_prometheus, judged by a real Prometheus 2.42 that uses the shipped
relabel snippet, against real PostgreSQL servers started by the test:

  main  TLS (test CA), WAL archiving into a directory, the objects the
        tests create; the blocks "pg-main" (verify-full), "wrong-ca",
        "wrong-password", "group-readable" and "slow" (through a proxy
        that delays every connection by 1.2 s) point at it;
  aux   archiving that always fails; the blocks "aux" (stopped and
        started, locked) and "selection" point at it;
plus "hang", a TCP peer that accepts and never answers.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PKI, Collectd, Prometheus, Workdir,  # noqa: E402
                     assert_config_refused, run_suite, scrape_config,
                     wait_until)
from pgserver import PostgresServer  # noqa: E402
from tcp_helpers import DelayingProxy, SilentServer  # noqa: E402

NS = "db-system"
MON_PASSWORD = "mon-Secret-7f3a9"
WRONG_PASSWORD = "wrong-Secret-c81d2"
# a database named with the pack's slash escape byte (om_encode.h)
UNENCODABLE_DB = "lit\x1fslash"
SERVER_LABELS = {"instance", "engine", "namespace"}
# the documented label names of each series (the seed's and reference's
# tables); the blocks here keep resource_count's instance (PerInstance
# true), so that one server's counts can be told apart: the documented sum
# over servers is test_combined.py's
DOCUMENTED = {
    "dbops_connection_attempts_total": SERVER_LABELS | {"status"},
    "dbops_connection_latency_seconds_bucket": SERVER_LABELS | {"le"},
    "dbops_connection_latency_seconds_sum": SERVER_LABELS,
    "dbops_connection_latency_seconds_count": SERVER_LABELS,
    "dbops_instance_healthy": SERVER_LABELS,
    "dbops_instance_last_health_check_timestamp_seconds": SERVER_LABELS,
    "dbops_instance_info": {"instance", "namespace", "engine", "version",
                            "host", "port", "phase"},
    "provisioning_database_connected": SERVER_LABELS,
    "dbops_database_size_bytes": {"database", "instance", "engine",
                                  "namespace"},
    "dbops_database_info": {"database", "namespace", "instance_ref",
                            "db_name", "phase"},
    "dbops_user_info": {"user", "namespace", "instance_ref", "username",
                        "phase"},
    "dbops_role_info": {"role", "namespace", "instance_ref", "role_name",
                        "phase"},
    "dbops_grant_info": {"grant", "namespace", "user_ref", "database_ref",
                         "privileges", "phase"},
    "dbops_resource_count": {"resource_type", "phase", "namespace",
                             "instance"},
    "pg_stat_archiver_archived_count": {"instance", "namespace"},
    "pg_stat_archiver_failed_count": {"instance", "namespace"},
    "pg_stat_archiver_last_archive_age": {"instance", "namespace"},
}
LATENCY_BOUNDS = ["0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                  "0.5", "1", "2.5", "5", "10", "+Inf"]


def pg_block(name, server, password_file, *lines):
    return ('<Postgres "%s">\n  Host "127.0.0.1"\n  Port %d\n'
            '  User "collectd_mon"\n  PasswordFile "%s"\n'
            '  Namespace "%s"\n  PerInstance true\n%s</Postgres>\n' % (
                name, server.port, password_file, NS,
                "".join("  %s\n" % line for line in lines)))


# Samples pg_stat_activity every 2 ms for a while, inside the server:
# the peak number of sessions of an application_name and how many samples
# saw at least one. pg_stat_clear_snapshot() makes each sample fresh.
PEAK_SESSIONS = """
CREATE FUNCTION om_peak_sessions(app text, seconds float8,
                                 OUT peak int, OUT seen int) AS $$
DECLARE
  n int;
  stop timestamptz := clock_timestamp() + seconds * interval '1 second';
BEGIN
  peak := 0;
  seen := 0;
  WHILE clock_timestamp() < stop LOOP
    PERFORM pg_stat_clear_snapshot();
    SELECT count(*) INTO n FROM pg_stat_activity
      WHERE application_name = app;
    peak := greatest(peak, n);
    IF n > 0 THEN seen := seen + 1; END IF;
    PERFORM pg_sleep(0.002);
  END LOOP;
END $$ LANGUAGE plpgsql"""


def create_objects(pg):
    pg.psql("CREATE DATABASE appdb", "CREATE DATABASE reports",
            "CREATE ROLE collectd_mon LOGIN PASSWORD '%s'" % MON_PASSWORD,
            "GRANT pg_monitor TO collectd_mon", PEAK_SESSIONS)


def peak_sessions(pg, app, seconds):
    peak, seen = pg.psql("SELECT * FROM om_peak_sessions('%s', %f)" % (
        app, seconds))[0]
    return int(peak), int(seen)


def create_main_objects(pg):
    pg.psql("CREATE ROLE app_user LOGIN PASSWORD 'app'",
            "CREATE ROLE app_reader LOGIN",
            "CREATE ROLE app_readonly NOLOGIN",
            "CREATE ROLE old_user LOGIN VALID UNTIL '2000-01-01'",
            "GRANT CONNECT, CREATE ON DATABASE appdb TO app_user",
            "GRANT CONNECT ON DATABASE reports TO app_reader",
            "GRANT app_readonly TO app_reader")


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.pki = PKI(wd)
        archive = os.path.join(wd.path, "wal-archive")
        os.makedirs(archive)
        self.main = PostgresServer(wd, "main", pki=self.pki, settings={
            "archive_mode": "on",
            "archive_command": "cp %%p %s/%%f" % archive,
            "log_connections": "on"})
        os.chown(archive, *self.main_owner())
        self.aux = PostgresServer(wd, "aux", settings={
            "archive_mode": "on", "archive_command": "false"})
        for pg in (self.main, self.aux):
            create_objects(pg)
        create_main_objects(self.main)
        # a name the label pack cannot carry: its samples are dropped
        self.aux.psql('CREATE DATABASE "%s"' % UNENCODABLE_DB)
        self.mon_pw = wd.file("mon.pw", MON_PASSWORD + "\n", 0o600)
        self.wrong_pw = wd.file("wrong.pw", WRONG_PASSWORD + "\n", 0o600)
        self.open_pw = wd.file("open.pw", MON_PASSWORD + "\n", 0o644)
        self.hang = SilentServer()
        self.proxy = DelayingProxy(self.main.port, 1.2)
        self.collectd = Collectd(wd, self.blocks())
        self.collectd.wait_ready()
        self.prom = Prometheus(wd, "prometheus", scrape_config(
            "collectd", "127.0.0.1:%d" % self.collectd.port, relabel=True))
        wait_until("pg-main's statistics in Prometheus", lambda: self.prom.query(
            'dbops_database_size_bytes{instance="pg-main"}'), timeout=60)

    def main_owner(self):
        st = os.stat(self.main.data)
        return st.st_uid, st.st_gid

    def blocks(self):
        ca, other = self.pki.ca, self.pki.other_ca
        tls = ['SSLMode "verify-full"']
        return "".join([
            pg_block("pg-main", self.main, self.mon_pw,
                     *tls, 'SSLRootCert "%s"' % ca),
            pg_block("wrong-ca", self.main, self.mon_pw,
                     *tls, 'SSLRootCert "%s"' % other),
            pg_block("wrong-password", self.main, self.wrong_pw),
            pg_block("group-readable", self.main, self.open_pw,
                     'Database "appdb"'),
            '<Postgres "slow">\n  Host "127.0.0.1"\n  Port %d\n'
            '  User "collectd_mon"\n  PasswordFile "%s"\n  Namespace "%s"\n'
            '  SSLMode "disable"\n  Interval 3\n  ConnectTimeout 2.1\n'
            '  StatementTimeout 0.5\n</Postgres>\n' % (
                self.proxy.port, self.mon_pw, NS),
            pg_block("aux", self.aux, self.mon_pw, "Interval 2",
                     "ConnectTimeout 0.5", "StatementTimeout 1"),
            pg_block("selection", self.aux, self.mon_pw,
                     'IncludeDatabase "template*" "app*"',
                     'ExcludeDatabase "template0"'),
            pg_block("families", self.aux, self.mon_pw,
                     'Include "dbops_instance_*" "dbops_database_*"',
                     'Exclude "dbops_instance_info"',
                     'Exclude "dbops_database_size_bytes"'),
            '<Postgres "hang">\n  Host "127.0.0.1"\n  Port %d\n'
            '  User "collectd_mon"\n  Namespace "%s"\n  Interval 2\n'
            '  ConnectTimeout 0.7\n  StatementTimeout 0.7\n</Postgres>\n' % (
                self.hang.port, NS),
        ])

    def stop(self):
        for p in ("prom", "collectd", "hang", "proxy", "main", "aux"):
            if hasattr(self, p):
                getattr(self, p).stop()


def series(e, selector):
    return e.prom.query(selector)


def one(e, selector):
    got = series(e, selector)
    assert len(got) == 1, "%s: want one series, got %s" % (selector, got)
    return got[0]


def label_names(metric, documented):
    """The labels but those Prometheus attaches to every series of the
    collectd target: job, and instance where the family has none."""
    attached = {"__name__", "job"} | (
        set() if "instance" in documented else {"instance"})
    return set(metric) - attached


# --- names, labels, values ---------------------------------------------------

def test_families_have_documented_labels(e):
    for family, names in DOCUMENTED.items():
        got = series(e, '%s{instance=~"pg-main|main|"}' % family)
        got += series(e, '%s{instance_ref="pg-main"}' % family)
        got += series(e, '%s{grant=~"pg-main/.*"}' % family)
        assert got, "%s: no series for pg-main" % family
        for metric, _ in got:
            want = names
            if family == "dbops_grant_info" and "database_ref" not in metric:
                want = names - {"database_ref"}  # a membership: empty label
            got_names = label_names(metric, want)
            assert got_names == want, "%s: labels %s, want %s" % (
                family, sorted(got_names), sorted(want))
            assert metric["job"] == "collectd", metric
            assert metric.get("namespace") == NS, metric


def test_instance_health_and_info(e):
    version = e.main.value("SHOW server_version")
    m, v = one(e, 'dbops_instance_healthy{instance="pg-main"}')
    assert v == 1, v
    assert m["engine"] == "postgres", m
    m, v = one(e, 'dbops_instance_info{instance="pg-main"}')
    assert v == 1
    assert m == dict(m, version=version, host="127.0.0.1",
                     port=str(e.main.port), phase="Ready", engine="postgres"), m
    _, v = one(e, 'provisioning_database_connected{instance="pg-main"}')
    assert v == 1
    _, ts = one(e, 'dbops_instance_last_health_check_timestamp_seconds'
                   '{instance="pg-main"}')
    assert abs(time.time() - ts) < 15, ts


def test_sizes_equal_pg_database_size(e):
    dbs = {"postgres", "appdb", "reports"}
    got = {m["database"] for m, _ in series(
        e, 'dbops_database_size_bytes{instance="pg-main"}')}
    assert got == dbs, got  # templates left out by default

    def sizes_agree():
        for db in dbs:
            want = float(e.main.value(
                "SELECT pg_database_size('%s')" % db))
            _, v = one(e, 'dbops_database_size_bytes{instance="pg-main",'
                          'database="%s"}' % db)
            if v != want:
                return False
        return True
    wait_until("sizes in Prometheus to equal pg_database_size()",
               sizes_agree, timeout=20)
    info = {(m["database"], m["db_name"], m["instance_ref"], m["phase"])
            for m, _ in series(e, 'dbops_database_info{instance_ref="pg-main"}')}
    assert info == {(d, d, "pg-main", "Ready") for d in dbs}, info


def test_users_roles_and_grants_match_what_was_granted(e):
    users = {(m["user"], m["username"], m["phase"]) for m, _ in series(
        e, 'dbops_user_info{instance_ref="pg-main"}')}
    assert users == {("postgres", "postgres", "Ready"),
                     ("collectd_mon", "collectd_mon", "Ready"),
                     ("app_user", "app_user", "Ready"),
                     ("app_reader", "app_reader", "Ready"),
                     ("old_user", "old_user", "Failed")}, users
    roles = {(m["role"], m["role_name"]) for m, _ in series(
        e, 'dbops_role_info{instance_ref="pg-main"}')}
    assert roles == {("app_readonly", "app_readonly")}, roles  # no pg_*
    grants = {(m["grant"], m["user_ref"], m.get("database_ref"),
               m["privileges"], m["phase"]) for m, _ in series(
        e, 'dbops_grant_info{grant=~"pg-main/.*"}')}
    assert grants == {
        ("pg-main/app_user@appdb", "app_user", "appdb", "CONNECT,CREATE",
         "Ready"),
        ("pg-main/app_reader@reports", "app_reader", "reports", "CONNECT",
         "Ready"),
        ("pg-main/app_reader", "app_reader", None, "app_readonly", "Ready"),
        ("pg-main/collectd_mon", "collectd_mon", None, "pg_monitor", "Ready"),
    }, grants
    counts = {(m["resource_type"], m["phase"]): v for m, v in series(
        e, 'dbops_resource_count{instance="pg-main"}')}
    assert counts == {
        ("DatabaseInstance", "Ready"): 1, ("DatabaseInstance", "Failed"): 0,
        ("Database", "Ready"): 3, ("Database", "Failed"): 0,
        ("DatabaseUser", "Ready"): 4, ("DatabaseUser", "Failed"): 1,
        ("DatabaseRole", "Ready"): 1, ("DatabaseRole", "Failed"): 0,
        ("DatabaseGrant", "Ready"): 4, ("DatabaseGrant", "Failed"): 0,
    }, counts


def test_latency_histogram(e):
    got = series(e, 'dbops_connection_latency_seconds_bucket'
                    '{instance="pg-main"}')
    assert sorted(m["le"] for m, _ in got) == sorted(LATENCY_BOUNDS), got
    buckets = {m["le"]: v for m, v in got}
    cumulative = [buckets[b] for b in LATENCY_BOUNDS]
    assert cumulative == sorted(cumulative), cumulative
    _, count = one(e, 'dbops_connection_latency_seconds_count'
                      '{instance="pg-main"}')
    _, total = one(e, 'dbops_connection_latency_seconds_sum'
                      '{instance="pg-main"}')
    _, ok = one(e, 'dbops_connection_attempts_total{instance="pg-main",'
                   'status="success"}')
    assert buckets["+Inf"] == count, (buckets, count)
    # one observation per connection made; all of them succeeded here
    assert count >= ok >= 1 and count - ok <= 1, (count, ok)
    assert 0 < total < count * 1.0, total


def test_archiver_families(e):
    e.main.psql("CREATE TABLE wal_filler AS SELECT generate_series(1, 1000) x",
                "SELECT pg_switch_wal()", db="appdb")
    wait_until("main to archive a WAL segment", lambda: int(e.main.value(
        "SELECT archived_count FROM pg_stat_archiver")) >= 1, timeout=30)
    wait_until("archived_count in Prometheus to equal pg_stat_archiver's",
               lambda: one(e, 'pg_stat_archiver_archived_count'
                              '{instance="pg-main"}')[1] == float(
                   e.main.value("SELECT archived_count FROM pg_stat_archiver")),
               timeout=20)
    want_age = float(e.main.value(
        "SELECT EXTRACT(EPOCH FROM now() - last_archived_time) "
        "FROM pg_stat_archiver"))
    _, age = one(e, 'pg_stat_archiver_last_archive_age{instance="pg-main"}')
    assert 0 <= age <= want_age + 2, (age, want_age)
    _, failed = one(e, 'pg_stat_archiver_failed_count{instance="pg-main"}')
    assert failed == 0, failed
    # aux's archive_command always fails
    e.aux.psql("SELECT pg_switch_wal()", "CREATE TABLE t AS SELECT 1 x",
               "SELECT pg_switch_wal()")
    wait_until("aux's failures in Prometheus to equal pg_stat_archiver's",
               lambda: 1 <= one(e, 'pg_stat_archiver_failed_count'
                                   '{instance="aux"}')[1] == float(
                   e.aux.value("SELECT failed_count FROM pg_stat_archiver")),
               timeout=30)
    assert not series(e, 'pg_stat_archiver_last_archive_age{instance="aux"}')


def test_dropped_samples_counted_and_logged(e):
    # the escape byte of "/" in a name cannot be told from an escaped "/":
    # the database's samples are dropped, counted and logged, the rest go on
    got = {m["database"] for m, _ in series(
        e, 'dbops_database_size_bytes{instance="aux"}')}
    assert got == {"postgres", "appdb", "reports"}, got
    wait_until("aux's drops to be counted", lambda: (one(
        e, 'operator_metrics_dropped_samples_total{collector="postgres",'
           'block="aux",reason="unencodable_value"}')[1] or 0) >= 2,
        timeout=20)
    log = e.collectd.log()
    assert ('operator_metrics(postgres/aux): dropped 2 sample(s) that cannot '
            'be passed on; the first is of "dbops_database_size_bytes" '
            '(unencodable_value)') in log, log[-3000:]


def test_database_selection(e):
    got = {m["database"] for m, _ in series(
        e, 'dbops_database_size_bytes{instance="selection"}')}
    assert got == {"template1", "appdb"}, got


def test_block_chooses_its_families(e):
    # the "aux" block reads the same server with every family; "families"
    # keeps only what its Include patterns match and its Exclude ones do not
    def names(instance):
        return {m["__name__"] for m, _ in series(
            e, '{__name__=~"dbops_.+|pg_stat_.+",instance="%s"}' % instance)}
    wait_until("both blocks to be read",
               lambda: "dbops_instance_healthy" in names("families") and
               "dbops_instance_info" in names("aux"), timeout=20)
    full, chosen = names("aux"), names("families")
    want = {n for n in full if n.startswith(("dbops_instance_",
                                             "dbops_database_"))}
    want -= {"dbops_instance_info", "dbops_database_size_bytes"}
    assert want and chosen == want, (sorted(full), sorted(chosen))
    assert "pg_stat_archiver_failed_count" in full
    # the block's own health goes out whatever its patterns say
    assert series(e, 'operator_metrics_dropped_samples_total{'
                     'collector="postgres",block="families"}')


# --- faults --------------------------------------------------------------------

def test_tls_verify_full(e):
    assert one(e, 'dbops_instance_healthy{instance="pg-main"}')[1] == 1
    # the server logs each connection's TLS use (log_connections)
    wait_until("pg-main's TLS connection in the server's log", lambda:
               "application_name=operator_metrics/pg-main SSL enabled" in
               e.main.process.output(), timeout=20)
    assert one(e, 'dbops_instance_healthy{instance="wrong-ca"}')[1] == 0
    _, failures = one(e, 'dbops_connection_attempts_total{instance="wrong-ca",'
                         'status="failure"}')
    assert failures >= 1
    log = e.collectd.log()
    assert "operator_metrics(postgres/wrong-ca): health check failed: " in log
    assert "certificate verify failed" in log, log


def test_wrong_password(e):
    assert one(e, 'dbops_instance_healthy{instance="wrong-password"}')[1] == 0
    log = e.collectd.log()
    lines = [l for l in log.splitlines() if "postgres/wrong-password" in l]
    assert any('password authentication failed for user "collectd_mon"' in l
               for l in lines), lines
    for secret in (WRONG_PASSWORD, MON_PASSWORD):
        assert secret not in log, "a password appears in collectd's log"
    # logged once, not once per interval
    assert len([l for l in lines if "health check failed" in l]) == 1, lines


def test_group_readable_password_file_warned(e):
    log = e.collectd.log()
    assert ('operator_metrics(postgres/group-readable): option "PasswordFile":'
            ' "%s" can be read by its group or others (mode 0644)'
            % e.open_pw) in log, log
    assert one(e, 'dbops_instance_healthy{instance="group-readable"}')[1] == 1


def attempts(e, instance, status):
    found = e.prom.query('dbops_connection_attempts_total{instance="%s",'
                         'status="%s"}' % (instance, status))
    return found[0][1] if found else 0


def test_hanging_server_bounded_and_delays_nobody(e):
    f0, m0, t0 = attempts(e, "hang", "failure"), attempts(
        e, "pg-main", "success"), time.monotonic()
    wait_until("three more failed attempts against the silent server",
               lambda: attempts(e, "hang", "failure") >= f0 + 3, timeout=20)
    elapsed = time.monotonic() - t0
    f1, m1 = attempts(e, "hang", "failure"), attempts(e, "pg-main", "success")
    # one failure per 2 s interval: each read ended within its timeouts
    assert f1 - f0 <= elapsed / 2 + 2, (f1 - f0, elapsed)
    # pg-main, read every second, went on meanwhile
    assert m1 - m0 >= elapsed - 3, (m1 - m0, elapsed)
    assert one(e, 'dbops_instance_healthy{instance="hang"}')[1] == 0
    assert "postgres/hang): health check failed: no connection within " \
           "ConnectTimeout" in e.collectd.log()
    assert not series(e, 'dbops_instance_last_health_check_timestamp_seconds'
                         '{instance="hang"}')


def test_lock_cut_at_statement_timeout(e):
    """pg_auth_members locked: the memberships query waits and is cut."""
    f0 = attempts(e, "aux", "failure")
    holder = e.aux.session()
    try:
        holder.stdin.write("BEGIN;\nLOCK TABLE pg_catalog.pg_auth_members "
                           "IN ACCESS EXCLUSIVE MODE;\n")
        holder.stdin.flush()
        wait_until("aux to report unhealthy under the lock",
                   lambda: one(e, 'dbops_instance_healthy{instance="aux"}')[1]
                   == 0, timeout=20)
        wait_until("two failed attempts under the lock",
                   lambda: attempts(e, "aux", "failure") >= f0 + 2, timeout=20)
        peak, seen = peak_sessions(e.aux, "operator_metrics/aux", 4)
        assert seen > 0 and peak == 1, (peak, seen)
    finally:
        holder.stdin.write("ROLLBACK;\n")
        holder.stdin.close()
        holder.wait(10)
    log = e.collectd.log()
    assert ("postgres/aux): health check failed: query of role memberships "
            "failed: ERROR: canceling statement due to statement timeout"
            ) in log, log
    wait_until("aux to be healthy again",
               lambda: one(e, 'dbops_instance_healthy{instance="aux"}')[1]
               == 1, timeout=20)
    assert "postgres/aux): the server's health check succeeds again" in \
        e.collectd.log()


def test_at_most_one_connection_per_block(e):
    peak, seen = peak_sessions(e.main, "operator_metrics/pg-main", 5)
    assert seen > 0, "never saw pg-main's connection in pg_stat_activity"
    assert peak == 1, peak


def test_server_stop_and_start(e):
    e.aux.stop()
    try:
        wait_until("aux to report unhealthy",
                   lambda: one(e, 'dbops_instance_healthy{instance="aux"}')[1]
                   == 0, timeout=10)
        f0, t0 = attempts(e, "aux", "failure"), time.monotonic()
        wait_until("failures to grow", lambda: attempts(e, "aux", "failure")
                   >= f0 + 3, timeout=15)
        grown = attempts(e, "aux", "failure") - f0
        # one per 2 s interval, samples arriving every interval
        assert grown <= (time.monotonic() - t0) / 2 + 2, grown
        # the Ready series goes when collectd's cache times it out
        wait_until("aux's info to say only Failed", lambda: [
            m["phase"] for m, _ in series(
                e, 'dbops_instance_info{instance="aux"}')] == ["Failed"],
            timeout=15)
        assert e.collectd.process.alive()
    finally:
        e.aux.start()
    wait_until("aux to be healthy again",
               lambda: one(e, 'dbops_instance_healthy{instance="aux"}')[1]
               == 1, timeout=15)


def test_no_connection_left_behind(e):
    wd = Workdir("pg-leftover")
    try:
        c = Collectd(wd, pg_block("leftover", e.aux, e.mon_pw),
                     name="collectd-leftover")
        c.wait_ready()
        c.stop()
        assert e.aux.value(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = 'operator_metrics/leftover'") == "0"
    finally:
        wd.cleanup()


# --- the seeds' alerts -----------------------------------------------------------

def test_seed_alert_expressions(e):
    wait_until("slow's latency quantile to exceed 1 s", lambda: series(
        e, 'histogram_quantile(0.95, '
           'rate(dbops_connection_latency_seconds_bucket[5m])) > 1'),
        timeout=40)
    slow = {m["instance"] for m, _ in series(
        e, 'histogram_quantile(0.95, '
           'rate(dbops_connection_latency_seconds_bucket[5m])) > 1')}
    assert slow == {"slow"}, slow
    unhealthy = {m["instance"] for m, _ in series(
        e, "dbops_instance_healthy == 0")}
    assert unhealthy == {"wrong-ca", "wrong-password", "hang"}, unhealthy


CONFIG_ERRORS = [
    ("bad SSLMode", '<Postgres "x">\n SSLMode "sometimes"\n</Postgres>',
     'operator_metrics(postgres/x): option "SSLMode": "sometimes" is not one '
     'of disable, allow, prefer, require, verify-ca, verify-full'),
    ("inline password", '<Postgres "x">\n Password "hunter2"\n</Postgres>',
     'operator_metrics(postgres/x): option "Password" is not supported'),
    ("bad port", '<Postgres "x">\n Port 70000\n</Postgres>',
     'operator_metrics(postgres/x): option "Port"'),
    ("timeouts over the interval",
     '<Postgres "x">\n Interval 2\n ConnectTimeout 1.5\n'
     ' StatementTimeout 1\n</Postgres>',
     'operator_metrics(postgres/x): options "ConnectTimeout" (1.5 s) and '
     '"StatementTimeout" (1 s) together must not exceed 90% of the interval (2 s)'),
    ("missing password file",
     '<Postgres "x">\n PasswordFile "/nonexistent/pw"\n</Postgres>',
     'operator_metrics(postgres/x): option "PasswordFile": cannot read '
     '"/nonexistent/pw"'),
    ("two blocks, one name",
     '<Postgres "x">\n</Postgres>\n<Postgres "x">\n</Postgres>',
     'operator_metrics(postgres/x): a block of this kind and name exists'),
]


def test_config_errors_stop_collectd(_e):
    assert_config_refused(CONFIG_ERRORS, never_logged=["hunter2"])


TESTS = [
    test_archiver_families,  # first: last_archive_age needs an archived WAL
    test_families_have_documented_labels,
    test_instance_health_and_info,
    test_sizes_equal_pg_database_size,
    test_users_roles_and_grants_match_what_was_granted,
    test_latency_histogram,
    test_database_selection,
    test_block_chooses_its_families,
    test_dropped_samples_counted_and_logged,
    test_tls_verify_full,
    test_wrong_password,
    test_group_readable_password_file_warned,
    test_hanging_server_bounded_and_delays_nobody,
    test_at_most_one_connection_per_block,
    test_lock_cut_at_statement_timeout,
    test_server_stop_and_start,
    test_no_connection_left_behind,
    test_seed_alert_expressions,
    test_config_errors_stop_collectd,
]


if __name__ == "__main__":
    sys.exit(run_suite("e2e.postgres", Env, TESTS))
