#!/usr/bin/env python3
"""The shipped rule files (conf/prometheus/rules/) against the operators'
documents and their promtool tests (tests/rules/*.test.yml):

  - every alert the operators document is there, under its name, with the
    severity the document gives;
  - every alert has a severity label and a summary annotation;
  - every alert is tested by name in an alert_rule_test with a firing
    case, and every recording rule by a promql_expr_test of its name.

Prints one PASS/FAIL line per check and "rules: N passed, M failed"."""
import glob
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "..", "..", "conf", "prometheus", "rules")

# the operators' documented alerts: file, name, severity
DOCUMENTED = [
    ("datum.yml", "DatumControllerStalled", "warning"),
    ("datum.yml", "DatumHighErrorRate", "warning"),
    ("datum.yml", "DatumWorkQueueDepth", "warning"),
    ("datum.yml", "DatumControllerDown", "critical"),
    ("datum.yml", "DatumHighMemoryUsage", "warning"),
    ("kubemirror.yml", "KubeMirrorControllerDown", "critical"),
    ("kubemirror.yml", "KubeMirrorHighReconcileErrors", "warning"),
    ("kubemirror.yml", "KubeMirrorReconcileLatencyHigh", "warning"),
    ("kubemirror.yml", "KubeMirrorWorkqueueDepthHigh", "warning"),
    ("kubemirror.yml", "KubeMirrorLeaderElectionLost", "warning"),
    ("kubemirror.yml", "KubeMirrorHighFailureRate", "warning"),
    ("kubemirror.yml", "KubeMirrorMemoryHigh", "warning"),
    ("kubemirror.yml", "KubeMirrorCPUThrottling", "warning"),
    ("dbops.yml", "DatabaseInstanceUnhealthy", "critical"),
    ("dbops.yml", "HighConnectionErrorRate", "warning"),
    ("dbops.yml", "HighDatabaseOperationErrorRate", "warning"),
    ("dbops.yml", "BackupFailed", "warning"),
    ("dbops.yml", "BackupOverdue", "warning"),
    ("dbops.yml", "ResourceStuckPending", "warning"),
    ("dbops.yml", "HighConnectionLatency", "warning"),
    ("dbops.yml", "RestoreFailed", "critical"),
    ("provisioning.yml", "OrchestratorDown", "critical"),
    ("provisioning.yml", "HighWorkflowFailureRate", "warning"),
    ("provisioning.yml", "DatabaseConnectionLoss", "critical"),
    ("provisioning.yml", "HighMemoryUsage", "warning"),
    ("provisioning.yml", "DiskSpaceLow", "warning"),
]
RECORDED = ["kubemirror:reconcile_duration_seconds:p99",
            "kubemirror:reconcile_duration_seconds:p95",
            "kubemirror:reconcile_duration_seconds:p50",
            "kubemirror:reconcile_rate:5m",
            "kubemirror:reconcile_errors:rate5m",
            "kubemirror:workqueue_depth:max"]


def rules_of(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    for group in doc["groups"]:
        for rule in group["rules"]:
            yield rule


def tested():
    """(alert names with a firing case, expressions of promql tests)"""
    alerts, exprs = set(), set()
    for path in glob.glob(os.path.join(HERE, "*.test.yml")):
        with open(path) as f:
            doc = yaml.safe_load(f)
        for test in doc["tests"]:
            for a in test.get("alert_rule_test", []):
                if a.get("exp_alerts"):
                    alerts.add(a["alertname"])
            for p in test.get("promql_expr_test", []):
                exprs.add(p["expr"].strip())
    return alerts, exprs


def main():
    failed = passed = 0

    def check(what, ok, why=""):
        nonlocal failed, passed
        if ok:
            passed += 1
            print("PASS: rules: " + what)
        else:
            failed += 1
            print("FAIL: rules: %s: %s" % (what, why))

    shipped = {}
    for path in sorted(glob.glob(os.path.join(RULES, "*.yml"))):
        for rule in rules_of(path):
            name = rule.get("alert") or rule.get("record")
            shipped[name] = (os.path.basename(path), rule)
    for file, name, severity in DOCUMENTED:
        got = shipped.get(name)
        check("documented alert %s in %s" % (name, file),
              got is not None and got[0] == file and
              got[1]["labels"]["severity"] == severity, repr(got))
    for name in RECORDED:
        check("recording rule %s" % name, name in shipped)
    alerts, exprs = tested()
    for name, (file, rule) in sorted(shipped.items()):
        if "alert" in rule:
            check("alert %s has a severity and a summary" % name,
                  "severity" in rule.get("labels", {}) and
                  "summary" in rule.get("annotations", {}))
            check("alert %s is tested firing" % name, name in alerts)
        else:
            check("recording rule %s is tested" % name, name in exprs)
    print("rules: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
