#!/usr/bin/env python3
"""The demo behind scripts/demo.sh: a sample operator endpoint, a throwaway
PostgreSQL with a pgBackRest backup and a pg_dump, a sample Kubernetes API
server with the operators' custom resources, collectd with operator_metrics
and write_prometheus, Prometheus with the relabel snippet, and what each of
them shows."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "e2e"))
from harness import (PKI, Collectd, Fixture, Prometheus, Workdir,  # noqa: E402
                     scrape_config, target_block, wait_until)
from kube_apiserver import FakeAPIServer  # noqa: E402
from kube_objects import load_objects, namespaces  # noqa: E402
from pgbackrest_repo import PgBackRest  # noqa: E402
from pgserver import PostgresServer  # noqa: E402

JOB = "datum-controller-manager-metrics"


def show(title, rows):
    print("\n" + title)
    for row in rows or ["(no series)"]:
        print("  " + row)


def fmt(metric, value):
    name = metric.get("__name__", "")
    labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(metric.items())
                      if k != "__name__")
    return "%s{%s} %g" % (name, labels, value)


def main():
    keep = "--keep" in sys.argv
    wd = Workdir("demo")
    procs = []
    try:
        print("starting a sample operator endpoint (HTTPS, throwaway CA)...")
        pki = PKI(wd)
        operator = Fixture(wd, "operator", pki=pki)
        procs.append(operator)
        config = target_block(JOB, operator.url("/metrics"),
                              'CACert "%s"' % pki.ca,
                              'HealthURL "%s"' % operator.url("/healthz"),
                              'ReadyURL "%s"' % operator.url("/readyz"))
        print("starting a throwaway PostgreSQL with a database, users and "
              "grants...")
        repo = PgBackRest(wd, stanza="shop")
        pg = PostgresServer(wd, "postgres", pki=pki,
                            settings=repo.archive_settings())
        procs.append(pg)
        pg.psql("CREATE DATABASE shop",
                "CREATE ROLE collectd_mon LOGIN PASSWORD 'demo-mon-pw'",
                "GRANT pg_monitor TO collectd_mon",
                "CREATE ROLE shop_app LOGIN", "CREATE ROLE shop_readers",
                "GRANT CONNECT, CREATE ON DATABASE shop TO shop_app",
                "GRANT shop_readers TO shop_app")
        config += ('<Postgres "pg-demo">\n  Host "127.0.0.1"\n  Port %d\n'
                   '  User "collectd_mon"\n  PasswordFile "%s"\n'
                   '  SSLMode "verify-full"\n  SSLRootCert "%s"\n'
                   '  Namespace "db-system"\n</Postgres>\n' % (
                       pg.port, wd.file("mon.pw", "demo-mon-pw\n", 0o600),
                       pki.ca))
        print("taking a pgBackRest full backup of it, and a pg_dump...")
        repo.attach(pg)
        repo.backup("full")
        dumps = os.path.join(wd.path, "dumps")
        os.makedirs(dumps)
        pg._own(dumps)
        pg._run([os.path.join(pg.bindir, "pg_dump"), "-h", pg.socket_dir,
                 "-p", str(pg.port), "-U", "postgres", "-f",
                 os.path.join(dumps, "shop-%s.sql" % time.strftime("%Y%m%d")),
                 "shop"])
        config += ('<Backup "pgbackrest">\n  Type "pgbackrest"\n'
                   '  Command %s\n  Namespace "db-system"\n  Interval 5\n'
                   '  Timeout 4\n  Schedule "30 2 * * *"\n'
                   '  TimeZone "Europe/Berlin"\n</Backup>\n'
                   '<Backup "shop-dumps">\n  Type "directory"\n'
                   '  Path "%s"\n  Pattern "shop-*.sql"\n'
                   '  Namespace "db-system"\n  Schedule "@daily"\n'
                   '</Backup>\n' % (repo.collectd_command(), dumps))
        print("starting a sample Kubernetes API server (HTTPS) with dbops, "
              "Dynamo and Datum custom resources...")
        api = FakeAPIServer(pki, ["demo-token"])
        procs.append(api)
        load_objects(api)
        # the objects' own namespaces: "db-system" is the throwaway
        # server's, whose <Postgres> and <Backup> blocks own its series
        config += ('<Kubernetes "demo-cluster">\n  APIServer "%s"\n'
                   '  BearerTokenFile "%s"\n  CACert "%s"\n  Interval 5\n'
                   '  Namespace %s\n'
                   '  Preset "dbops"\n  Preset "dynamo"\n  Preset "datum"\n'
                   '</Kubernetes>\n' % (api.url(), wd.file(
                       "kube-token", "demo-token\n", 0o600), pki.ca,
                       " ".join('"%s"' % n for n in namespaces())))
        print("starting collectd with operator_metrics and write_prometheus...")
        collectd = Collectd(wd, config, interval=1)
        procs.append(collectd)
        collectd.wait_ready()
        print("starting Prometheus with conf/prometheus/relabel.yml...")
        prom = Prometheus(wd, "prometheus", scrape_config(
            "collectd", "127.0.0.1:%d" % collectd.port, relabel=True))
        procs.append(prom)
        print("collecting for a few seconds...")
        wait_until("a few samples in Prometheus", lambda: len(prom.raw_points(
            'up{job="%s"}[5m]' % JOB, time.time())[0][1]) >= 6, timeout=60)
        wait_until("the backups in Prometheus", lambda: len(prom.query(
            "dbops_backup_info")) >= 2, timeout=60)
        wait_until("the custom resources in Prometheus", lambda: prom.query(
            "dynamo_operator_resources_total"), timeout=60)

        raw = [l for l in collectd.scrape_raw().decode().split("\n")
               if "reconcile_total{" in l and "organization" in l]
        show("collectd's write_prometheus (port %d) serves the encoded form:"
             % collectd.port, raw[:2])
        show("Prometheus (port %d) decodes it to the documented names and "
             "labels:" % prom.port,
             [fmt(m, v) for m, v in prom.query(
                 'controller_runtime_reconcile_total{controller="organization"}'
             )])
        for title, q in [
            ("up", 'up{job="%s"}' % JOB),
            ("Work Queue Depth (Datum dashboard)", "workqueue_depth"),
            ("DatumWorkQueueDepth alert: workqueue_depth > 100",
             "workqueue_depth > 100"),
            ("Reconciliation Rate (Datum dashboard; a [5m] window over a few "
             "seconds of data)",
             "sum by (controller) (rate(controller_runtime_reconcile_total"
             "[5m]))"),
            ("the same over [15s]",
             "sum by (controller) (rate(controller_runtime_reconcile_total"
             "[15s]))"),
            ("Reconciliation Duration P95 (Datum dashboard)",
             "histogram_quantile(0.95, sum by (controller, le) (rate("
             "controller_runtime_reconcile_time_seconds_bucket[5m])))"),
            ("leader election", "leader_election_master_status"),
            ("DatumControllerDown alert: absent(up{job=...})",
             'absent(up{job="%s"})' % JOB),
            ("health and readiness probes", "operator_metrics_probe_success"),
            ("scrape bookkeeping", '{__name__=~"scrape_.*",job="%s"}' % JOB),
            ("PostgreSQL: dbops_instance_healthy", "dbops_instance_healthy"),
            ("PostgreSQL: dbops_instance_info", "dbops_instance_info"),
            ("PostgreSQL: connection attempts",
             "dbops_connection_attempts_total"),
            ("PostgreSQL: connection latency P95 (Instances dashboard)",
             "histogram_quantile(0.95, rate("
             "dbops_connection_latency_seconds_bucket[5m]))"),
            ("PostgreSQL: database sizes", "dbops_database_size_bytes"),
            ("PostgreSQL: users, roles and grants",
             '{__name__=~"dbops_(user|role|grant)_info"}'),
            ("PostgreSQL: dbops_resource_count (Overview dashboard)",
             "dbops_resource_count > 0"),
            ("PostgreSQL: WAL archiving (postgres_exporter's names)",
             '{__name__=~"pg_stat_archiver_.*"}'),
            ("DatabaseInstanceUnhealthy alert: dbops_instance_healthy == 0",
             "dbops_instance_healthy == 0"),
            ("Backups: dbops_backup_info (Backups dashboard)",
             "dbops_backup_info"),
            ("Backups: size of the newest backup", "dbops_backup_size_bytes"),
            ("Backups: Last Success Age, seconds (Backups dashboard)",
             "time() - dbops_backup_last_success_timestamp_seconds"),
            ("Backups: repository status (pgBackRest's code; 0 is ok)",
             "operator_metrics_backup_repository_status"),
            ("Schedules: dbops_schedule_info and the next backup time",
             '{__name__=~"dbops_schedule_info|'
             'dbops_schedule_next_backup_timestamp_seconds"}'),
            ("BackupOverdue alert: time() - "
             "dbops_backup_last_success_timestamp_seconds > 86400",
             "time() - dbops_backup_last_success_timestamp_seconds > 86400"),
            ("Kubernetes: Organizations, Projects, Workloads (Datum Resources "
             "dashboard)",
             "count by (customresource_kind) (kube_customresource_info{"
             "customresource_group=~'resourcemanager.miloapis.com|"
             "compute.datumapis.com'})"),
            ("Kubernetes: Ready/Available conditions of Datum resources",
             "kube_customresource_status_condition == 1"),
            ("Kubernetes: sum by (resource_type, status) "
             "(dynamo_operator_resources_total) (Dynamo dashboard)",
             "sum by (resource_type, status) "
             "(dynamo_operator_resources_total)"),
            ("Kubernetes: dbops_resource_count by kind and phase",
             "sum by (resource_type, phase, namespace) (dbops_resource_count{"
             "namespace!='db-system'}) > 0"),
            ("Kubernetes: dbops_instance_info from the custom resources",
             'dbops_instance_info{namespace!="db-system"}'),
            ("ResourceStuckPending alert: dbops_resource_count"
             '{phase="Pending"} > 0', 'dbops_resource_count{phase="Pending"} '
             '> 0'),
            ("Kubernetes: listing state per resource (not ok only)",
             'operator_metrics_kubernetes_resource_state{state!="ok"} == 1'),
            ("BackupFailed alert: increase(dbops_backup_operations_total"
             '{status="failure"}[1h]) > 0',
             'increase(dbops_backup_operations_total{status="failure"}[1h]) '
             '> 0'),
        ]:
            show(title + ":", [fmt(m, v) for m, v in prom.query(q)])
        if keep:
            print("\nworking directory: %s" % wd.path)
            print("collectd: http://127.0.0.1:%d/metrics  Prometheus: "
                  "http://127.0.0.1:%d  (Ctrl-C stops)" % (collectd.port,
                                                           prom.port))
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for p in reversed(procs):
            p.stop()
        if not keep:
            wd.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
