#!/usr/bin/env python3
"""The Grafana dashboards of conf/grafana/, checked without Grafana (which
Debian 12 does not package): the committed files are what
tools/gen_dashboards.py writes; each is valid JSON as Grafana's dashboard
import takes it (uid, title, a current schemaVersion, panels with unique
ids on a grid of 24 columns that do not overlap), every panel and query
names the `datasource` variable, every variable a query uses is defined,
and the operators' documents are all there: their dashboards, the panels
they list, and the variables they name. Every query is evaluated by a
real Prometheus in tests/e2e/test_monitoring.py.

Prints one PASS/FAIL line per check and "dashboards: N passed, M failed"."""
import filecmp
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GRAFANA = os.path.join(REPO, "conf", "grafana")
GLOBALS = {"__rate_interval", "__interval", "__range", "__all"}

# the documents' dashboards: file, the panels each lists, its variables
DOCUMENTED = {
    "datum/controller-performance.json": (
        ["Reconciliation Rate", "Error Rate", "Reconciliation Duration P95",
         "Work Queue Depth"], []),
    "datum/resources.json": (["Organizations", "Projects", "Workloads"], []),
    "kubemirror/kubemirror.json": (
        ["Controller Status", "Reconciliation Rate", "Total Workqueue Depth",
         "Reconciliation Latency", "Workqueue Depth", "Memory Usage",
         "CPU Usage", "Error Rate", "Process Stats"], []),
    "dbops/overview.json": (["Operation Rates", "Error Rates",
                             "Recent Activity", "Healthy / Unhealthy Instances"],
                            ["namespace"]),
    "dbops/instances.json": (["Instance Table", "Connection Status",
                              "Connection Latency", "Connection Attempts",
                              "Health Check History"], ["namespace"]),
    "dbops/databases.json": (["Database Table", "Database Sizes",
                              "Operation Counts", "Operation Duration"],
                             ["namespace"]),
    "dbops/users.json": (["User Table", "Operation Counts", "Operation Status"],
                         ["namespace"]),
    "dbops/roles.json": (["Role Table", "Operation Counts"], ["namespace"]),
    "dbops/grants.json": (["Grant Table", "Operation Counts"], ["namespace"]),
    "dbops/backups.json": (["Backup Table", "Backup Success Rate",
                            "Backup Sizes", "Backup Duration",
                            "Last Success Age"], ["namespace"]),
    "dbops/schedules.json": (["Schedule Table", "Scheduled Backup Counts",
                              "Next Backup Times", "Schedule Status"],
                             ["namespace"]),
    "dbops/restores.json": (["Restore Table", "Restore Counts",
                             "Restore Duration"], ["namespace"]),
    "provisioning/platform-overview.json": (["Active Workflows"], []),
    "provisioning/orchestrator.json": (["Workflows", "Task Queue"], []),
    "provisioning/control-center.json": (["API Request Rate", "API Latency"],
                                         []),
    "provisioning/vault-kms.json": (["Encryptions and Decryptions",
                                     "KMS Latency"], []),
    "provisioning/system-resources.json": (["CPU", "Memory",
                                            "Disk Space Used", "Disk I/O",
                                            "Network"], ["instance"]),
    "provisioning/security-events.json": (["Authentication Attempts",
                                           "Authorization Denials"], []),
    "provisioning/database-performance.json": (["Database Connected"], []),
    "dynamo/operator.json": (
        ["Reconciliation Rate", "P95 Reconciliation Duration",
         "Reconciliation Errors", "Webhook Request Rate",
         "P95 Webhook Duration", "Webhook Denials", "Resource Inventory",
         "Current Resources by State", "Reconciliation Success Rate",
         "Webhook Admission Success Rate"], ["namespace", "resource_type"]),
}
DYNAMO_ROWS = ["Reconciliation Metrics", "Webhook Metrics",
               "Resource Inventory", "Operational Health"]


def expressions(d):
    for p in d["panels"]:
        for t in p.get("targets", []):
            yield p, t


def check_structure(path, d, fail):
    for key in ("uid", "title", "schemaVersion", "panels", "templating"):
        if key not in d:
            fail("no %s" % key)
    if d.get("schemaVersion", 0) < 36:
        fail("schemaVersion %s is older than Grafana 9's" % d.get("schemaVersion"))
    variables = {v["name"]: v for v in d["templating"]["list"]}
    ds = variables.get("datasource")
    if not ds or ds["type"] != "datasource" or ds["query"] != "prometheus":
        fail("no Prometheus datasource variable")
    ids, cells = set(), {}
    for p in d["panels"]:
        if p["id"] in ids:
            fail("panel id %s twice" % p["id"])
        ids.add(p["id"])
        g = p["gridPos"]
        if not (isinstance(g["x"], int) and g["x"] >= 0 and g["w"] > 0 and
                g["h"] > 0 and g["x"] + g["w"] <= 24 and g["y"] >= 0):
            fail("panel %r off the grid: %s" % (p["title"], g))
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    fail("panels %r and %r overlap" % (cells[(x, y)], p["title"]))
                cells[(x, y)] = p["title"]
        if p["type"] == "row":
            continue
        if p.get("datasource", {}).get("uid") != "${datasource}":
            fail("panel %r does not use the datasource variable" % p["title"])
        if not p.get("targets"):
            fail("panel %r has no query" % p["title"])
        refs = [t["refId"] for t in p["targets"]]
        if len(refs) != len(set(refs)):
            fail("panel %r: refIds repeat" % p["title"])
    for p, t in expressions(d):
        if t.get("datasource", {}).get("uid") != "${datasource}" or not t["expr"]:
            fail("a query of %r has no expression or datasource" % p["title"])
        for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", t["expr"]):
            if name not in variables and name not in GLOBALS:
                fail("panel %r uses $%s, which is not defined" % (p["title"], name))
    for v in variables.values():
        if v["type"] == "query":
            for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)",
                                   v["query"]["query"]):
                if name not in variables:
                    fail("variable %s uses undefined $%s" % (v["name"], name))


def main():
    passed = failed = 0

    def check(what, fn):
        nonlocal passed, failed
        problems = []
        try:
            fn(problems.append)
        except Exception as e:  # a broken file is a failure, reported
            problems.append("%s: %s" % (type(e).__name__, e))
        if problems:
            failed += 1
            print("FAIL: dashboards: %s: %s" % (what, "; ".join(problems[:5])))
        else:
            passed += 1
            print("PASS: dashboards: " + what)

    def regenerated(fail):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.check_call([sys.executable, os.path.join(
                REPO, "tools", "gen_dashboards.py"), tmp])
            new = sorted(os.path.relpath(p, tmp) for p in glob.glob(
                os.path.join(tmp, "*", "*.json")))
            old = sorted(os.path.relpath(p, GRAFANA) for p in glob.glob(
                os.path.join(GRAFANA, "*", "*.json")))
            if new != old:
                fail("files differ: %s" % sorted(set(new) ^ set(old)))
            for rel in new:
                if rel in old and not filecmp.cmp(os.path.join(tmp, rel),
                                                  os.path.join(GRAFANA, rel),
                                                  shallow=False):
                    fail("%s differs from tools/gen_dashboards.py's: "
                         "regenerate it" % rel)
    check("the committed files are tools/gen_dashboards.py's", regenerated)

    uids = {}
    for path in sorted(glob.glob(os.path.join(GRAFANA, "*", "*.json"))):
        rel = os.path.relpath(path, GRAFANA)

        def structure(fail, path=path):
            with open(path) as f:
                d = json.load(f)
            check_structure(path, d, fail)
            if d["uid"] in uids:
                fail("uid %s is also %s's" % (d["uid"], uids[d["uid"]]))
            uids[d["uid"]] = path
        check("%s is an importable dashboard" % rel, structure)

    for rel, (titles, names) in DOCUMENTED.items():
        def documented(fail, rel=rel, titles=titles, names=names):
            with open(os.path.join(GRAFANA, rel)) as f:
                d = json.load(f)
            have = [p["title"] for p in d["panels"]]
            for t in titles:
                if t not in have:
                    fail("no panel %r" % t)
            variables = {v["name"]: v for v in d["templating"]["list"]}
            for n in names:
                if n not in variables:
                    fail("no variable %s" % n)
        check("%s has the documented panels and variables" % rel, documented)

    def operators(fail):
        counts = {op: len(glob.glob(os.path.join(GRAFANA, op, "*.json")))
                  for op in ("datum", "kubemirror", "dbops", "provisioning",
                             "dynamo")}
        if counts != {"datum": 2, "kubemirror": 1, "dbops": 9,
                      "provisioning": 7, "dynamo": 1}:
            fail("the operators' 20 dashboards: %s" % counts)
        with open(os.path.join(GRAFANA, "kubemirror", "kubemirror.json")) as f:
            if len(json.load(f)["panels"]) != 9:
                fail("KubeMirror's dashboard has 9 panels")
        with open(os.path.join(GRAFANA, "dynamo", "operator.json")) as f:
            d = json.load(f)
        rows = [p["title"] for p in d["panels"] if p["type"] == "row"]
        if rows != DYNAMO_ROWS or len(d["panels"]) != 14:
            fail("Dynamo's dashboard: 10 panels in 4 sections, got %s" % rows)
        v = {x["name"]: x for x in d["templating"]["list"]}
        if not (v["namespace"]["multi"] and not v["resource_type"]["multi"] and
                v["resource_type"]["includeAll"]):
            fail("Dynamo's Namespace is multi-select, its Resource Type "
                 "single select with All")
    check("20 operator dashboards, Dynamo's sections and filters", operators)
    print("dashboards: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
