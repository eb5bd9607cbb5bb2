"""The demo behind scripts/demo.sh: the stack of tests/e2e/stack.py (the
five operators' /metrics endpoints, a throwaway PostgreSQL with a
pgBackRest backup and pg_dumps, the test Kubernetes API server with the
operators' custom resources, the host itself), collectd with
operator_metrics and write_prometheus, Prometheus with the relabel rules
and the shipped rule files, and what each of them shows: the documented
series, the alerts that fire, and the dashboards to import."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "e2e"))
from harness import Workdir, wait_until  # noqa: E402
from stack import DATUM_JOB as JOB, Stack, dashboards  # noqa: E402

# the demo shortens every alert's `for` so that they fire while you watch
DEMO_FOR_S = 10


def show(title, rows):
    print("\n" + title)
    for row in rows or ["(no series)"]:
        print("  " + row)


def fmt(metric, value):
    name = metric.get("__name__", "")
    labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(metric.items())
                      if k != "__name__")
    return "%s{%s} %g" % (name, labels, value)


# what the demo's sources make fire: a backed-up work queue, a controller
# that fails, an old backup, Pending resources, samples the plugin drops
EXPECTED = {"DatumWorkQueueDepth", "DatumHighErrorRate", "BackupOverdue",
            "ResourceStuckPending", "OperatorMetricsSamplesDropped",
            "HighWorkflowFailureRate"}


def show_alerts(prom):
    def firing():
        return [a for a in prom.api("alerts")["alerts"]
                if a["state"] == "firing"]
    try:
        wait_until("the alerts of the demo's faults to fire", lambda: EXPECTED
                   <= {a["labels"]["alertname"] for a in firing()},
                   timeout=120)
    except AssertionError as e:  # show what fires anyway
        print("\n(%s)" % e)
    rows = sorted(set("%-30s %s%s" % (
        a["labels"]["alertname"], a["annotations"].get("summary", ""),
        " [job %s]" % a["labels"]["job"] if a["labels"].get("job") not in (
            None, "collectd") else "") for a in firing()))
    show("Alerts firing in Prometheus (conf/prometheus/rules/; the demo "
         "shortens every `for:` to %d s, the shipped files keep the "
         "documented durations):" % DEMO_FOR_S, rows)


def show_dashboards():
    show("Grafana dashboards to import (Dashboards > New > Import, then "
         "choose your Prometheus as the data source):",
         ["file://" + os.path.abspath(p) for p in dashboards()])


def main():
    keep = "--keep" in sys.argv
    wd = Workdir("demo")
    stack = None
    try:
        stack = Stack(wd, for_seconds=DEMO_FOR_S, say=print)
        collectd, prom = stack.collectd, stack.prom
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
            ("KubeMirror: kubemirror:reconcile_rate:5m (its recording rule)",
             "kubemirror:reconcile_rate:5m"),
            ("Dynamo: reconciliations by resource type and result",
             "sum by (resource_type, result) (rate("
             "dynamo_operator_reconcile_total[5m]))"),
            ("Provisioning: active workflows and the database connection",
             '{__name__=~"provisioning_workflows_active|'
             'provisioning_database_connected"}'),
            ("Host (<Host>, node_exporter's names): memory in use, as "
             "HighMemoryUsage computes it",
             "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes"),
            ("Host: root filesystem, available bytes",
             'node_filesystem_avail_bytes{mountpoint="/"}'),
            ("BackupFailed alert: increase(dbops_backup_operations_total"
             '{status="failure"}[1h]) > 0',
             'increase(dbops_backup_operations_total{status="failure"}[1h]) '
             '> 0'),
        ]:
            show(title + ":", [fmt(m, v) for m, v in prom.query(q)])
        show_alerts(prom)
        show_dashboards()
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
        if stack is not None:
            stack.stop()
        if not keep:
            wd.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
