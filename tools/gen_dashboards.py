#!/usr/bin/env python3
"""Writes the Grafana dashboards of conf/grafana/ from the specifications
below: the operators' documented dashboards (their titles, panels and
queries) and one for the plugin's own health. Each dashboard has a
`datasource` variable, the variables its documents name, unique panel ids
and a grid, and imports into Grafana 9 or later (schemaVersion 39).

    tools/gen_dashboards.py [OUTPUT_DIR]     (default: conf/grafana)

tests/build/check_dashboards.py checks that the committed files are what
this writes, and their structure."""
import json
import os
import sys

SCHEMA_VERSION = 39
DS = {"type": "prometheus", "uid": "${datasource}"}

# --- building blocks ------------------------------------------------------


def q(expr, legend="", instant=False, table=False):
    """One query of a panel."""
    return {"expr": expr, "legend": legend, "instant": instant or table,
            "table": table}


def panel(title, kind, queries, unit="short", w=12, h=8, description="",
          mappings=None, minmax=None):
    return {"title": title, "type": kind, "queries": queries, "unit": unit,
            "w": w, "h": h, "description": description,
            "mappings": mappings, "minmax": minmax}


def ts(title, *queries, unit="short", w=12, description=""):
    return panel(title, "timeseries", list(queries), unit, w, 8, description)


def stat(title, *queries, unit="short", w=6, mappings=None, description=""):
    return panel(title, "stat", list(queries), unit, w, 4, description,
                 mappings)


def gauge(title, *queries, unit="percentunit", w=12, description=""):
    return panel(title, "gauge", list(queries), unit, w, 8, description,
                 minmax=(0, 1))


def table(title, expr, w=24, description=""):
    return panel(title, "table", [q(expr, table=True)], "short", w, 8,
                 description)


def row(title):
    return {"row": title}


UP_DOWN = [{"type": "value", "options": {
    "0": {"text": "Down", "color": "red"},
    "1": {"text": "Up", "color": "green"}}}]


def var_query(name, label, query, multi=True, include_all=True, all_value=".*"):
    return {"kind": "query", "name": name, "label": label, "query": query,
            "multi": multi, "includeAll": include_all, "allValue": all_value}


def dashboard(uid, title, tags, panels, variables=(), description="",
              file=None):
    """file: its name under conf/grafana/<operator>/ (default: the uid
    without the operator's prefix)."""
    return {"uid": uid, "title": title, "tags": tags, "panels": panels,
            "variables": list(variables), "description": description,
            "file": file}


# --- the specifications ----------------------------------------------------

JOB_VAR = var_query("job", "Job", "label_values(controller_runtime_reconcile_total, job)")
NS_DBOPS = var_query("namespace", "Namespace",
                     "label_values(dbops_resource_count, namespace)")
NS = 'namespace=~"$namespace"'


def quantiles(family, by, sel, qs=(0.5, 0.9, 0.99)):
    out = []
    for p in qs:
        out.append(q("histogram_quantile(%s, sum by (%s, le) (rate(%s_bucket{%s}[5m])))"
                     % (p, by, family, sel), "P%d {{%s}}" % (round(p * 100), by)))
    return out


DATUM = [
    dashboard("datum-controller-performance", "Datum Controller Performance",
              ["datum", "controller-runtime"], [
                  ts("Reconciliation Rate",
                     q('sum by (controller) (rate(controller_runtime_reconcile_total{job=~"$job"}[5m]))',
                       "{{controller}}"), unit="ops"),
                  ts("Error Rate",
                     q('sum by (controller) (rate(controller_runtime_reconcile_errors_total{job=~"$job"}[5m]))',
                       "{{controller}}"), unit="ops"),
                  ts("Reconciliation Duration P95",
                     q('histogram_quantile(0.95, sum by (controller, le) (rate(controller_runtime_reconcile_time_seconds_bucket{job=~"$job"}[5m])))',
                       "{{controller}}"), unit="s"),
                  ts("Work Queue Depth",
                     q('workqueue_depth{job=~"$job"}', "{{name}}")),
              ], [JOB_VAR],
              "Datum's controller performance dashboard (its monitoring guide). "
              "The Job variable keeps the panels to one scrape job; All matches "
              "every controller-runtime operator."),
    dashboard("datum-resources", "Datum Resources", ["datum", "resources"], [
        stat("Organizations", q("count(kube_customresource_info{customresource_group='resourcemanager.miloapis.com', customresource_kind='Organization'})"), w=8),
        stat("Projects", q("count(kube_customresource_info{customresource_group='resourcemanager.miloapis.com', customresource_kind='Project'})"), w=8),
        stat("Workloads", q("count(kube_customresource_info{customresource_group='compute.datumapis.com', customresource_kind='Workload'})"), w=8),
    ], (), "Datum's resource status dashboard (its monitoring guide); with "
        "collectd the objects come from a <Kubernetes> block with Preset \"datum\"."),
]

KM = 'job="kubemirror",instance=~"$instance"'
KUBEMIRROR = [
    dashboard("kubemirror", "KubeMirror", ["kubemirror", "controller-runtime"], [
        stat("Controller Status", q('up{%s}' % KM, "{{instance}}"),
             mappings=UP_DOWN, w=6),
        stat("Total Workqueue Depth", q('sum(workqueue_depth{%s})' % KM), w=6),
        ts("Reconciliation Rate", q("kubemirror:reconcile_rate:5m",
                                    "{{controller}} {{result}}"), unit="ops"),
        ts("Reconciliation Latency",
           q("kubemirror:reconcile_duration_seconds:p99", "P99 {{controller}}"),
           q("kubemirror:reconcile_duration_seconds:p95", "P95 {{controller}}"),
           unit="s"),
        ts("Workqueue Depth", q('workqueue_depth{%s}' % KM, "{{name}}")),
        ts("Memory Usage",
           q('sum by (pod) (container_memory_working_set_bytes{pod=~"kubemirror.*",container!=""})',
             "working set {{pod}}"),
           q('sum by (pod) (kube_pod_container_resource_limits{pod=~"kubemirror.*",resource="memory"})',
             "limit {{pod}}"), unit="bytes",
           description="Working set against the limit: the kubelet's cAdvisor "
                       "and kube-state-metrics, through <Target> blocks."),
        ts("CPU Usage",
           q('sum by (pod) (rate(container_cpu_usage_seconds_total{pod=~"kubemirror.*",container!=""}[5m])) * 100',
             "{{pod}}"), unit="percent",
           description="CPU time as a percentage of one core (cAdvisor)."),
        ts("Error Rate",
           q("kubemirror:reconcile_errors:rate5m / sum by (controller) (kubemirror:reconcile_rate:5m) * 100",
             "{{controller}}"), unit="percent"),
        ts("Process Stats",
           q('go_goroutines{%s}' % KM, "goroutines {{instance}}"),
           q('process_open_fds{%s}' % KM, "open fds {{instance}}")),
    ], [var_query("instance", "Instance", 'label_values(up{job="kubemirror"}, instance)')],
        "KubeMirror's dashboard (its monitoring guide), on the recording rules of "
        "conf/prometheus/rules/kubemirror.yml."),
]

DB = 'namespace=~"$namespace"'
DBOPS = [
    dashboard("dbops-overview", "DB Provision Operator / Overview", ["dbops"], [
        stat("Instances", q('sum(dbops_resource_count{resource_type="DatabaseInstance",%s}) or vector(0)' % DB), w=4),
        stat("Databases", q('sum(dbops_resource_count{resource_type="Database",%s}) or vector(0)' % DB), w=4),
        stat("Users", q('sum(dbops_resource_count{resource_type="DatabaseUser",%s}) or vector(0)' % DB), w=4),
        stat("Roles", q('sum(dbops_resource_count{resource_type=~"DatabaseRole|ClusterDatabaseRole",%s}) or vector(0)' % DB), w=4),
        stat("Grants", q('sum(dbops_resource_count{resource_type=~"DatabaseGrant|ClusterDatabaseGrant",%s}) or vector(0)' % DB), w=4),
        stat("Healthy / Unhealthy Instances",
             q('sum(dbops_instance_healthy{%s}) or vector(0)' % DB, "healthy"),
             q('count(dbops_instance_healthy{%s} == 0) or vector(0)' % DB, "unhealthy"), w=4),
        ts("Operation Rates",
           *[q('sum by (operation) (rate(dbops_%s_operations_total{%s}[5m])) * 60' % (k, DB),
               "%s {{operation}}" % k) for k in ("database", "user", "role", "grant")],
           unit="opm"),
        ts("Error Rates",
           *[q('sum(rate(dbops_%s_operations_total{status="failure",%s}[5m])) * 60 or vector(0)' % (k, DB), k)
             for k in ("database", "user", "role", "grant", "backup", "restore")],
           unit="opm"),
        ts("Recent Activity",
           q('sum by (resource_type, phase) (dbops_resource_count{%s})' % DB,
             "{{resource_type}} {{phase}}"), w=24),
    ], [NS_DBOPS], "The DB Provision Operator's overview dashboard (its monitoring guide)."),
    dashboard("dbops-instances", "DB Provision Operator / Instances", ["dbops"], [
        table("Instance Table", 'dbops_instance_info{%s}' % DB),
        stat("Connection Status", q('dbops_instance_healthy{%s}' % DB, "{{instance}}"),
             mappings=[{"type": "value", "options": {
                 "0": {"text": "Unhealthy", "color": "red"},
                 "1": {"text": "Healthy", "color": "green"}}}], w=24),
        ts("Connection Latency", *quantiles("dbops_connection_latency_seconds",
                                            "instance", DB, (0.5, 0.9, 0.99)), unit="s"),
        ts("Connection Attempts",
           q('sum by (instance, status) (rate(dbops_connection_attempts_total{%s}[5m]))' % DB,
             "{{instance}} {{status}}"), unit="ops"),
        ts("Health Check History",
           q('dbops_instance_healthy{%s}' % DB, "healthy {{instance}}"),
           q('time() - dbops_instance_last_health_check_timestamp_seconds{%s}' % DB,
             "seconds since the last check {{instance}}"), w=24),
    ], [NS_DBOPS]),
    dashboard("dbops-databases", "DB Provision Operator / Databases", ["dbops"], [
        table("Database Table", 'dbops_database_info{%s}' % DB),
        ts("Database Sizes", q('dbops_database_size_bytes{%s}' % DB,
                               "{{instance}}/{{database}}"), unit="bytes"),
        ts("Operation Counts",
           q('sum by (operation, status) (increase(dbops_database_operations_total{%s}[1h]))' % DB,
             "{{operation}} {{status}}")),
        ts("Operation Duration", *quantiles("dbops_database_operation_duration_seconds",
                                            "operation", DB), unit="s", w=24),
    ], [NS_DBOPS]),
    dashboard("dbops-users", "DB Provision Operator / Users", ["dbops"], [
        table("User Table", 'dbops_user_info{%s}' % DB),
        ts("Operation Counts",
           q('sum by (operation) (increase(dbops_user_operations_total{%s}[1h]))' % DB,
             "{{operation}}")),
        ts("Operation Status",
           q('sum by (status) (rate(dbops_user_operations_total{%s}[5m]))' % DB,
             "{{status}}"), unit="ops"),
    ], [NS_DBOPS]),
    dashboard("dbops-roles", "DB Provision Operator / Roles", ["dbops"], [
        table("Role Table", 'dbops_role_info{%s}' % DB),
        ts("Operation Counts",
           q('sum by (operation, status) (increase(dbops_role_operations_total{%s}[1h]))' % DB,
             "{{operation}} {{status}}"), w=24),
    ], [NS_DBOPS]),
    dashboard("dbops-grants", "DB Provision Operator / Grants", ["dbops"], [
        table("Grant Table", 'dbops_grant_info{%s}' % DB),
        ts("Operation Counts",
           q('sum by (operation, status) (increase(dbops_grant_operations_total{%s}[1h]))' % DB,
             "{{operation}} {{status}}"), w=24),
    ], [NS_DBOPS]),
    dashboard("dbops-backups", "DB Provision Operator / Backups", ["dbops"], [
        table("Backup Table", 'dbops_backup_info{%s}' % DB),
        ts("Backup Success Rate",
           q('sum by (status) (increase(dbops_backup_operations_total{%s}[1h]))' % DB,
             "{{status}}")),
        ts("Backup Sizes", q('dbops_backup_size_bytes{%s}' % DB, "{{database}}"),
           unit="bytes"),
        ts("Backup Duration", *quantiles("dbops_backup_duration_seconds", "engine", DB,
                                         (0.5, 0.95)), unit="s"),
        stat("Last Success Age",
             q('time() - dbops_backup_last_success_timestamp_seconds{%s}' % DB,
               "{{database}}"), unit="s", w=12),
    ], [NS_DBOPS]),
    dashboard("dbops-schedules", "DB Provision Operator / Schedules", ["dbops"], [
        table("Schedule Table", 'dbops_schedule_info{%s}' % DB),
        ts("Scheduled Backup Counts",
           q('sum by (status) (increase(dbops_scheduled_backups_total{%s}[1h]))' % DB,
             "{{status}}")),
        stat("Next Backup Times",
             q('dbops_schedule_next_backup_timestamp_seconds{%s} - time()' % DB,
               "{{database}}"), unit="s", w=12),
        stat("Schedule Status",
             q('count by (paused) (dbops_schedule_info{%s})' % DB, "paused={{paused}}"),
             w=24),
    ], [NS_DBOPS]),
    dashboard("dbops-restores", "DB Provision Operator / Restores", ["dbops"], [
        table("Restore Table", 'dbops_restore_info{%s}' % DB),
        ts("Restore Counts",
           q('sum by (status) (increase(dbops_restore_operations_total{%s}[1h]))' % DB,
             "{{status}}")),
        ts("Restore Duration", *quantiles("dbops_restore_duration_seconds", "engine", DB,
                                          (0.5, 0.95)), unit="s"),
    ], [NS_DBOPS]),
]

PJ = 'job=~"$job"'
PROV_JOB = var_query("job", "Service", 'label_values(up{job=~"provisioning-.*"}, job)')
NODE_INST = var_query("instance", "Host", 'label_values(node_uname_info, instance)')
NI = 'instance=~"$instance"'
PROVISIONING = [
    dashboard("provisioning-platform-overview", "Provisioning / Platform Overview",
              ["provisioning"], [
                  stat("Services Up", q('up{job=~"provisioning-.*"}', "{{job}}"),
                       mappings=UP_DOWN, w=12),
                  stat("Database Connected", q("provisioning_database_connected", "{{job}}"),
                       mappings=[{"type": "value", "options": {
                           "0": {"text": "Lost", "color": "red"},
                           "1": {"text": "Connected", "color": "green"}}}], w=12),
                  ts("Active Workflows", q("provisioning_workflows_active", "Active Workflows")),
                  ts("Tasks", q("provisioning_tasks_queued", "queued"),
                     q("provisioning_tasks_running", "running")),
                  ts("API Requests", q("sum(rate(provisioning_api_requests_total[5m]))",
                                       "requests"), unit="reqps"),
                  ts("Host Memory Usage",
                     q("1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
                       "{{instance}}"), unit="percentunit"),
              ], (), "The Provisioning platform's high-level status."),
    dashboard("provisioning-orchestrator", "Provisioning / Orchestrator Performance",
              ["provisioning"], [
                  ts("Workflows",
                     q("rate(provisioning_workflows_total[5m])", "created"),
                     q("rate(provisioning_workflows_completed[5m])", "completed"),
                     q("rate(provisioning_workflows_failed[5m])", "failed"), unit="ops"),
                  ts("Active Workflows", q("provisioning_workflows_active", "Active Workflows")),
                  ts("Task Queue", q("provisioning_tasks_queued", "queued"),
                     q("provisioning_tasks_running", "running")),
                  ts("Tasks Completed", q("rate(provisioning_tasks_completed[5m])", "completed"),
                     unit="ops"),
                  ts("Workflow Failure Ratio",
                     q("rate(provisioning_workflows_failed[5m]) / rate(provisioning_workflows_total[5m])",
                       "failed / created"), unit="percentunit"),
                  ts("Checkpoint Recoveries",
                     q("increase(provisioning_checkpoint_recoveries[1h])", "recoveries")),
                  ts("Workflow Duration", q("provisioning_workflow_duration_seconds",
                                            "{{job}}"), unit="s",
                     description="Workflows slower than 60 s: provisioning_workflow_duration_seconds > 60."),
                  ts("CPU and Memory per Service",
                     q('rate(process_cpu_seconds_total{job=~"provisioning-.*"}[5m]) * 100',
                       "CPU % {{job}}"),
                     q('process_resident_memory_bytes{job=~"provisioning-.*"} / 2^20',
                       "resident MiB {{job}}")),
              ]),
    dashboard("provisioning-control-center", "Provisioning / Control Center API",
              ["provisioning"], [
                  ts("API Request Rate", q("sum by (job) (rate(provisioning_api_requests_total[5m]))",
                                           "{{job}}"), unit="reqps"),
                  ts("API Latency",
                     q("histogram_quantile(0.5, rate(provisioning_api_requests_duration_seconds_bucket[5m]))", "P50"),
                     q("histogram_quantile(0.95, rate(provisioning_api_requests_duration_seconds_bucket[5m]))", "P95"),
                     q("histogram_quantile(0.99, rate(provisioning_api_requests_duration_seconds_bucket[5m]))", "P99"),
                     unit="s"),
              ]),
    dashboard("provisioning-vault-kms", "Provisioning / Vault Service KMS",
              ["provisioning"], [
                  ts("Secret Operations", q("rate(provisioning_secrets_operations_total[5m])",
                                            "secret operations"), unit="ops"),
                  ts("Encryptions and Decryptions",
                     q("rate(provisioning_kms_encryptions_total[5m])", "encryptions"),
                     q("rate(provisioning_kms_decryptions_total[5m])", "decryptions"), unit="ops"),
                  ts("KMS Latency",
                     q("histogram_quantile(0.5, rate(provisioning_kms_latency_seconds_bucket[5m]))", "P50"),
                     q("histogram_quantile(0.95, rate(provisioning_kms_latency_seconds_bucket[5m]))", "P95"),
                     unit="s", w=24),
              ]),
    dashboard("provisioning-system-resources", "Provisioning / System Resources",
              ["provisioning", "node"], [
                  ts("CPU", q('1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle",%s}[5m]))' % NI,
                              "{{instance}}"), unit="percentunit"),
                  ts("Memory", q('1 - node_memory_MemAvailable_bytes{%s} / node_memory_MemTotal_bytes{%s}' % (NI, NI),
                                 "{{instance}}"), unit="percentunit"),
                  ts("Disk Space Used",
                     q('1 - node_filesystem_avail_bytes{%s} / node_filesystem_size_bytes{%s}' % (NI, NI),
                       "{{mountpoint}}"), unit="percentunit"),
                  ts("Disk I/O", q('rate(node_disk_io_time_seconds_total{%s}[5m])' % NI,
                                   "{{device}}"), unit="percentunit"),
                  ts("Network",
                     q('rate(node_network_receive_bytes_total{%s}[5m])' % NI, "rx {{device}}"),
                     q('rate(node_network_transmit_bytes_total{%s}[5m])' % NI, "tx {{device}}"),
                     unit="Bps", w=24),
              ], [NODE_INST], "CPU, memory, disk and network under node_exporter's "
                              "names: node_exporter, or collectd's <Host> block."),
    dashboard("provisioning-security-events", "Provisioning / Security Events",
              ["provisioning", "security"], [
                  ts("Authentication Attempts", q("rate(provisioning_auth_attempts_total[5m])",
                                                  "attempts"), unit="ops"),
                  ts("Authentication Failures", q("rate(provisioning_auth_failures_total[5m])",
                                                  "failures"), unit="ops"),
                  ts("Authentication Failure Ratio",
                     q("rate(provisioning_auth_failures_total[5m]) / rate(provisioning_auth_attempts_total[5m])",
                       "failures / attempts"), unit="percentunit"),
                  ts("Authorization Denials", q("rate(provisioning_rbac_denials_total[5m])",
                                                "RBAC denials"), unit="ops"),
              ], (), "Authentication and authorization from the Control Center's "
                     "metrics; the audit logs themselves are in Loki."),
    dashboard("provisioning-database-performance", "Provisioning / Database Performance",
              ["provisioning", "database"], [
                  stat("Database Connected", q("provisioning_database_connected", "{{job}}"),
                       mappings=[{"type": "value", "options": {
                           "0": {"text": "Lost", "color": "red"},
                           "1": {"text": "Connected", "color": "green"}}}], w=12),
                  stat("Connection Losses (24 h)",
                       q("sum(changes(provisioning_database_connected[24h]))", "changes"),
                       w=12),
                  ts("Connection History", q("provisioning_database_connected", "{{job}}"),
                     w=24),
              ], (), "The platform's SurrealDB as the services see it; SurrealDB's "
                     "own metrics are not documented."),
]

DYN_SEL = 'namespace=~"$namespace",resource_type=~"$resource_type"'
DYN_RT = 'resource_type=~"$resource_type"'
DYNAMO = [
    dashboard("dynamo-operator", "Dynamo Operator", ["dynamo"], [
        row("Reconciliation Metrics"),
        ts("Reconciliation Rate",
           q('sum by (resource_type, result) (rate(dynamo_operator_reconcile_total{%s}[5m]))' % DYN_SEL,
             "{{resource_type}} {{result}}"), unit="ops", w=8),
        ts("P95 Reconciliation Duration",
           q('histogram_quantile(0.95, sum by (resource_type, le) (rate(dynamo_operator_reconcile_duration_seconds_bucket{%s}[5m])))' % DYN_SEL,
             "{{resource_type}}"), unit="s", w=8),
        ts("Reconciliation Errors",
           q('sum by (resource_type, error_type) (rate(dynamo_operator_reconcile_errors_total{%s}[5m]))' % DYN_SEL,
             "{{resource_type}} {{error_type}}"), unit="ops", w=8),
        row("Webhook Metrics"),
        ts("Webhook Request Rate",
           q('sum by (operation) (rate(dynamo_operator_webhook_requests_total{%s}[5m]))' % DYN_RT,
             "{{operation}}"), unit="reqps", w=8),
        ts("P95 Webhook Duration",
           q('histogram_quantile(0.95, sum by (resource_type, le) (rate(dynamo_operator_webhook_duration_seconds_bucket{%s}[5m])))' % DYN_RT,
             "{{resource_type}}"), unit="s", w=8),
        ts("Webhook Denials",
           q('sum by (resource_type, operation, reason) (rate(dynamo_operator_webhook_denials_total{%s}[5m]))' % DYN_RT,
             "{{resource_type}} {{operation}} {{reason}}"), unit="ops", w=8),
        row("Resource Inventory"),
        ts("Resource Inventory",
           q('sum by (status, namespace) (dynamo_operator_resources_total{%s})' % DYN_SEL,
             "{{namespace}} {{status}}")),
        panel("Current Resources by State", "bargauge",
              [q('sum by (status) (dynamo_operator_resources_total{%s})' % DYN_SEL,
                 "{{status}}", instant=True)]),
        row("Operational Health"),
        gauge("Reconciliation Success Rate",
              q('sum by (resource_type) (rate(dynamo_operator_reconcile_total{result="success",%s}[5m])) / sum by (resource_type) (rate(dynamo_operator_reconcile_total{%s}[5m]))' % (DYN_SEL, DYN_SEL),
                "{{resource_type}}")),
        gauge("Webhook Admission Success Rate",
              q('sum by (resource_type) (rate(dynamo_operator_webhook_requests_total{result="allowed",%s}[5m])) / sum by (resource_type) (rate(dynamo_operator_webhook_requests_total{%s}[5m]))' % (DYN_RT, DYN_RT),
                "{{resource_type}}")),
    ], [var_query("namespace", "Namespace",
                  "label_values(dynamo_operator_resources_total, namespace)"),
        var_query("resource_type", "Resource Type",
                  "label_values(dynamo_operator_reconcile_total, resource_type)",
                  multi=False)],
        "The Dynamo operator's dashboard: 10 panels in 4 sections, with its "
        "Namespace (multi-select) and Resource Type (single select, All) filters."),
]

PLUGIN = [
    dashboard("collectd-operator-metrics", "collectd-operator-metrics / Plugin Health",
              ["collectd-operator-metrics"], [
                  stat("collectd", q('up{job="collectd"}', "{{instance}}"),
                       mappings=UP_DOWN, w=12),
                  stat("Targets", q('sum(up{job!="collectd"} == 1) or vector(0)', "up"),
                       q('count(up{job!="collectd"} == 0) or vector(0)', "down"), w=12),
                  ts("Dropped Samples",
                     q("sum by (collector, block, reason) (rate(operator_metrics_dropped_samples_total[5m]))",
                       "{{collector}}/{{block}} {{reason}}"), unit="ops"),
                  ts("Scrape Duration", q('scrape_duration_seconds{job!="collectd"}',
                                          "{{job}} {{instance}}"), unit="s"),
                  table("Kubernetes Listings", "operator_metrics_kubernetes_resource_state == 1",
                        w=12),
                  table("Backup Sources", "operator_metrics_backup_source_state == 1", w=12),
                  ts("Lease Holders", q("operator_metrics_leader", "{{block}} {{instance}}")),
                  ts("Series Limited", q("operator_metrics_series_limited",
                                         "{{job}} {{instance}}")),
                  ts("Host Collectors", q("node_scrape_collector_success", "{{collector}}"),
                     w=24),
              ], (), "The plugin's own health: collectd scraped, targets up, samples "
                     "dropped, sources failing, leases, series budgets.",
              file="plugin-health.json"),
]

ALL = {"datum": DATUM, "kubemirror": KUBEMIRROR, "dbops": DBOPS,
       "provisioning": PROVISIONING, "dynamo": DYNAMO,
       "collectd-operator-metrics": PLUGIN}

# --- Grafana's JSON --------------------------------------------------------


def grafana_target(query, ref):
    t = {"datasource": DS, "refId": ref, "expr": query["expr"],
         "legendFormat": query["legend"], "range": not query["instant"],
         "instant": query["instant"]}
    if query["table"]:
        t["format"] = "table"
    return t


def grafana_panel(p, pid, x, y):
    out = {"id": pid, "type": p["type"], "title": p["title"],
           "datasource": DS, "gridPos": {"h": p["h"], "w": p["w"], "x": x, "y": y},
           "targets": [grafana_target(qq, chr(ord("A") + i))
                       for i, qq in enumerate(p["queries"])],
           "fieldConfig": {"defaults": {"unit": p["unit"]}, "overrides": []},
           "options": {}}
    if p["description"]:
        out["description"] = p["description"]
    if p["mappings"]:
        out["fieldConfig"]["defaults"]["mappings"] = p["mappings"]
    if p["minmax"]:
        out["fieldConfig"]["defaults"]["min"], out["fieldConfig"]["defaults"]["max"] = p["minmax"]
    if p["type"] == "timeseries":
        out["options"] = {"legend": {"displayMode": "list", "placement": "bottom",
                                     "showLegend": True},
                          "tooltip": {"mode": "multi", "sort": "none"}}
    elif p["type"] in ("stat", "gauge", "bargauge"):
        out["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "",
                                            "values": False}}
    elif p["type"] == "table":
        out["options"] = {"showHeader": True}
        out["transformations"] = [{"id": "organize", "options": {
            "excludeByName": {"Time": True, "Value": True, "__name__": True}}}]
    return out


def grafana_variable(v):
    if v["kind"] == "datasource":
        return {"name": "datasource", "label": "Data source", "type": "datasource",
                "query": "prometheus", "current": {}, "hide": 0, "refresh": 1,
                "regex": "", "options": []}
    out = {"name": v["name"], "label": v["label"], "type": "query",
           "datasource": DS, "definition": v["query"],
           "query": {"query": v["query"], "refId": "PrometheusVariableQueryEditor-VariableQuery"},
           "refresh": 2, "regex": "", "sort": 1, "hide": 0,
           "multi": v["multi"], "includeAll": v["includeAll"],
           "current": {"selected": True, "text": ["All"] if v["multi"] else "All",
                       "value": ["$__all"] if v["multi"] else "$__all"},
           "options": []}
    if v["includeAll"]:
        out["allValue"] = v["allValue"]
    return out


def grafana_dashboard(d):
    panels, pid, x, y, row_h = [], 1, 0, 0, 0
    for p in d["panels"]:
        if "row" in p:
            if x:
                x, y = 0, y + row_h
            panels.append({"id": pid, "type": "row", "title": p["row"],
                           "collapsed": False, "panels": [],
                           "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}})
            pid, y, row_h = pid + 1, y + 1, 0
            continue
        if x + p["w"] > 24:
            x, y, row_h = 0, y + row_h, 0
        panels.append(grafana_panel(p, pid, x, y))
        pid, x, row_h = pid + 1, x + p["w"], max(row_h, p["h"])
    variables = [{"kind": "datasource"}] + d["variables"]
    out = {"uid": d["uid"], "title": d["title"], "tags": d["tags"],
           "editable": True, "graphTooltip": 1, "schemaVersion": SCHEMA_VERSION,
           "version": 1, "time": {"from": "now-1h", "to": "now"},
           "refresh": "30s", "timezone": "browser",
           "annotations": {"list": [{
               "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
               "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
               "name": "Annotations & Alerts", "type": "dashboard"}]},
           "templating": {"list": [grafana_variable(v) for v in variables]},
           "panels": panels, "links": []}
    if d["description"]:
        out["description"] = d["description"]
    return out


def file_name(d, operator):
    if d["file"]:
        return d["file"]
    prefix = operator + "-"
    uid = d["uid"]
    return (uid[len(prefix):] if uid.startswith(prefix) else uid) + ".json"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "conf", "grafana")
    for operator, dashboards in ALL.items():
        os.makedirs(os.path.join(out, operator), exist_ok=True)
        for d in dashboards:
            path = os.path.join(out, operator, file_name(d, operator))
            with open(path, "w") as f:
                json.dump(grafana_dashboard(d), f, indent=2, sort_keys=True)
                f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
