#!/usr/bin/env python3
"""End to end: the shipped rule files and dashboards on data that went
through collectd, write_prometheus and Prometheus with the relabel rules,
on the demo's stack (tests/e2e/stack.py: the five operators' endpoints,
PostgreSQL, pgBackRest, dumps, the test API server, <Host>):

  - Prometheus loads every rule file, and no rule fails to evaluate;
  - every query of every panel of every dashboard parses and returns data
    (variables at "All");
  - on healthy sources the alerts that must stay silent do;
  - fault scenarios fire the matching alerts in /api/v1/alerts (with
    every `for` shortened to FOR_S): work queue depth, error ratio, backup
    overdue, resource Pending, dropped samples (present from the start),
    a target down, PostgreSQL stopped.
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Workdir, run_suite, wait_until  # noqa: E402
from stack import DATUM_JOB, Stack, dashboards  # noqa: E402

FOR_S = 2


class Env(Stack):
    def __init__(self, wd):
        Stack.__init__(self, wd, for_seconds=FOR_S)


def firing(e):
    return {(a["labels"]["alertname"], a["labels"].get("job", ""),
             a["labels"].get("instance", ""))
            for a in e.prom.api("alerts")["alerts"] if a["state"] == "firing"}


def firing_names(e):
    return {a for a, _, _ in firing(e)}


def substitute(expr, variables):
    """A panel's query with the dashboard's variables at their All value."""
    def value(m):
        v = variables.get(m.group(1))
        if v is None:
            raise AssertionError("undefined variable $%s" % m.group(1))
        return v.get("allValue", ".*")
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", value, expr)


def test_rule_files_loaded(e):
    groups = e.prom.api("rules")["groups"]
    names = {g["name"] for g in groups}
    assert {"datum.rules", "kubemirror-recording", "kubemirror-alerts",
            "db-provision-operator", "provisioning_alerts",
            "collectd-operator-metrics"} <= names, names
    bad = [(r["name"], r.get("lastError")) for g in groups for r in g["rules"]
           if r.get("health") == "err"]
    assert not bad, bad
    assert sum(len(g["rules"]) for g in groups) == 38


def test_every_panel_query_returns_data(e):
    empty, checked = [], 0
    for path in dashboards():
        with open(path) as f:
            d = json.load(f)
        variables = {v["name"]: v for v in d["templating"]["list"]}
        for p in d["panels"]:
            for t in p.get("targets", []):
                expr = substitute(t["expr"], variables)
                checked += 1
                # a query that does not parse raises (HTTP 400)
                if not e.prom.query(expr):
                    empty.append("%s / %s: %s" % (
                        os.path.relpath(path, os.path.dirname(
                            os.path.dirname(path))), p["title"], expr))
    assert checked >= 100, checked
    assert not empty, "%d queries without data:\n%s" % (
        len(empty), "\n".join(empty))


def test_variables_have_values(e):
    for path in dashboards():
        with open(path) as f:
            d = json.load(f)
        for v in d["templating"]["list"]:
            if v["type"] != "query":
                continue
            m = re.match(r"label_values\((.*), *([a-z_]+)\)$",
                         v["query"]["query"])
            assert m, v["query"]
            sel, label = m.groups()
            values = {s[0].get(label) for s in e.prom.query(sel)}
            assert values - {None}, (path, v["name"])


SILENT = ["DatumControllerStalled", "DatumControllerDown",
          "DatumHighMemoryUsage", "KubeMirrorControllerDown",
          "KubeMirrorLeaderElectionLost", "DatabaseConnectionLoss",
          "OrchestratorDown", "DatabaseInstanceUnhealthy",
          "HighConnectionErrorRate", "HighConnectionLatency", "RestoreFailed",
          "CollectdDown", "OperatorMetricsLeaseWithoutHolder",
          "OperatorMetricsBackupSourceFailing", "DiskSpaceLow"]


def test_faults_present_from_the_start_fire(e):
    want = {"DatumWorkQueueDepth", "DatumHighErrorRate",
            "KubeMirrorWorkqueueDepthHigh", "BackupOverdue",
            "ResourceStuckPending", "OperatorMetricsSamplesDropped",
            "HighWorkflowFailureRate"}
    wait_until("%s to fire" % sorted(want),
               lambda: want <= firing_names(e), timeout=60)
    got = firing_names(e)
    assert not got & set(SILENT), sorted(got & set(SILENT))
    alerts = e.prom.api("alerts")["alerts"]
    # the throwaway server's: only the old dumps are overdue (the API's
    # objects of namespace "db" have an old backup of their own)
    overdue = [a["labels"] for a in alerts
               if a["labels"]["alertname"] == "BackupOverdue" and
               a["labels"]["namespace"] == "db-system"]
    assert [a["database"] for a in overdue] == ["archive"], overdue
    depth = {a["labels"].get("name") for a in alerts
             if a["labels"]["alertname"] == "DatumWorkQueueDepth"}
    assert depth == {"workload"}, depth
    dropped = {(a["labels"]["block"], a["labels"]["reason"]) for a in alerts
               if a["labels"]["alertname"] == "OperatorMetricsSamplesDropped"}
    assert dropped and {b for b, _ in dropped} == {"samples-to-drop"}, dropped


def test_target_down_fires(e):
    e.orchestrator.stop()
    wait_until("OrchestratorDown and OperatorMetricsTargetDown",
               lambda: {("OrchestratorDown", "provisioning-orchestrator"),
                        ("OperatorMetricsTargetDown",
                         "provisioning-orchestrator")} <=
               {(a, j) for a, j, _ in firing(e)}, timeout=60)
    assert "DatumControllerDown" not in firing_names(e)


def test_postgres_stopped_fires(e):
    assert "DatabaseInstanceUnhealthy" not in firing_names(e)
    e.pg.stop()
    wait_until("DatabaseInstanceUnhealthy for pg-demo", lambda: any(
        a["labels"]["alertname"] == "DatabaseInstanceUnhealthy" and
        a["labels"].get("instance") == "pg-demo" and a["state"] == "firing"
        for a in e.prom.api("alerts")["alerts"]), timeout=60)


if __name__ == "__main__":
    sys.exit(run_suite("e2e.monitoring", Env, [
        test_rule_files_loaded,
        test_every_panel_query_returns_data,
        test_variables_have_values,
        test_faults_present_from_the_start_fire,
        test_target_down_fires,
        test_postgres_stopped_fires,
    ]))
