#!/usr/bin/env python3
"""The man page, docs/collectd-operator-metrics.pod, against the
configuration readers: every option a reader accepts appears in the man
page under its block, and every option the man page gives is one a reader
of that block accepts. Also podchecker on the page and man(1) rendering it
without a warning.

What the readers accept is read from their sources: the rows of their
option tables (OM_OPTION, OM_OPTION_LIST, OM_OPTION_RANGE and
OM_BLOCK_FAMILY_OPTIONS), the keys their option functions compare
(strcasecmp), the TLS and token options of om_conf_http_auth, the
election's options, and Interval, which every block takes.

Prints one PASS/FAIL line per check and "man: N passed, M failed"."""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
POD = os.path.join(REPO, "docs", "collectd-operator-metrics.pod")
SRC = os.path.join(REPO, "src")

ROW = re.compile(r'OM_OPTION(?:_LIST|_RANGE)?\(\s*\w+,\s*"(\w+)"')
COMPARED = re.compile(r'strcasecmp\((?:k|key|ci->key|item->key),\s*"(\w+)"\)')
# options a reader knows only to refuse them (said in the page's text)
REFUSED = {"Password"}
# a nested block is an option of its parent too
NESTED = {"Pods", "Resource"}


def source(path):
    with open(os.path.join(SRC, path)) as f:
        return f.read()


def function(text, name):
    """The body of the C function name in text."""
    m = re.search(r"\n[^\n]*\b%s\([^)]*\)\s*\{" % re.escape(name), text)
    assert m, name
    depth, i = 1, m.end()
    while depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[m.end():i]


def table(text, name):
    m = re.search(r"static const om_option %s\[\] = \{(.*?)\n\};" % name,
                  text, re.S)
    assert m, name
    rows = set(ROW.findall(m.group(1)))
    if "OM_BLOCK_FAMILY_OPTIONS" in m.group(1):
        rows |= {"Include", "Exclude"}
    return rows


def accepted():
    conf = source("collectd/om_conf.c")
    http = set(ROW.findall(function(conf, "om_conf_http_auth")))
    election = set(re.findall(r'"(\w+)"', function(
        source("collectd/om_election.c"), "om_election_option")))
    kinds = {}
    t = source("target/om_target_config.c")
    kinds["Target"] = table(t, "OPTIONS") | set(COMPARED.findall(
        function(t, "parse_option"))) | http
    p = source("target/om_pods_config.c")
    kinds["Pods"] = table(p, "OPTIONS") | set(COMPARED.findall(
        function(p, "pods_option"))) | http
    g = source("postgres/om_pg_config.c")
    kinds["Postgres"] = table(g, "OPTIONS") | set(COMPARED.findall(
        function(g, "parse_option")))
    b = source("backup/om_backup_config.c")
    kinds["Backup"] = table(b, "OPTIONS") | set(COMPARED.findall(
        function(b, "parse_option")))
    k = source("kubernetes/om_kube_config.c")
    kinds["Kubernetes"] = table(k, "OPTIONS") | set(COMPARED.findall(
        function(k, "parse_option"))) | http
    kinds["Resource"] = table(k, "RESOURCE_OPTIONS") | set(COMPARED.findall(
        function(k, "parse_resource_option")))
    kinds["Host"] = table(source("host/om_host_config.c"), "OPTIONS")
    kinds["every block"] = {"Interval"} | election
    kinds["plugin"] = set(COMPARED.findall(function(
        source("collectd/om_module.c"), "config_plugin_option"))) or set(
        re.findall(r'strcasecmp\(ci->key, "(\w+)"\) != 0', source(
            "collectd/om_module.c")))
    # the options every block takes are documented once
    for kind in ("Target", "Postgres", "Backup", "Kubernetes", "Host"):
        kinds[kind] -= {"Include", "Exclude", "Interval"}
    kinds["every block"] |= {"Include", "Exclude"}
    for kind in kinds:
        kinds[kind] -= REFUSED
    return kinds


SECTIONS = [("PLUGIN OPTIONS", "plugin"),
            ("OPTIONS OF EVERY BLOCK", "every block"),
            ("E<lt>Target ", "Target"), ("E<lt>PodsE<gt>", "Pods"),
            ("E<lt>Postgres ", "Postgres"), ("E<lt>Backup ", "Backup"),
            ("E<lt>Kubernetes ", "Kubernetes"),
            ("E<lt>ResourceE<gt>", "Resource"), ("E<lt>Host ", "Host")]


def documented():
    out, kind = {}, None
    with open(POD) as f:
        for line in f:
            if line.startswith("=head"):
                title = line.split(None, 1)[1] if " " in line else ""
                kind = next((k for prefix, k in SECTIONS
                             if title.startswith(prefix)), None)
                continue
            m = re.match(r"=item B<(\w+)>", line)
            if m and kind:
                out.setdefault(kind, set()).add(m.group(1))
    return out


def main():
    passed = failed = 0

    def check(what, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print("FAIL: man: %s: %s" % (what, problems))
        else:
            passed += 1
            print("PASS: man: " + what)

    acc, doc = accepted(), documented()
    for kind in sorted(acc):
        a, d = acc[kind], doc.get(kind, set())
        if kind == "Target":
            a = a - {"Pods"}
            d = d - {"Pods"}
        check("every option of %s the reader takes is in the page" % kind,
              sorted(a - d))
        check("every option of %s in the page is taken" % kind,
              sorted(d - a))
    with open(POD) as f:
        text = " ".join(f.read().split())
    check("refused options are said to be refused",
          [o for o in REFUSED if "B<%s> is not an option" % o not in text])
    r = subprocess.run(["podchecker", POD], capture_output=True, text=True)
    check("podchecker", "" if r.returncode == 0 and "WARNING" not in
          r.stderr else r.stderr[-500:])
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "collectd-operator-metrics.5")
        subprocess.check_call(["pod2man", "--section=5", "--name",
                               "COLLECTD-OPERATOR-METRICS", POD, page])
        r = subprocess.run(["man", "--warnings", "-l", page],
                           capture_output=True, text=True,
                           env=dict(os.environ, MANWIDTH="80",
                                    MAN_KEEP_FORMATTING="0"))
        check("man -l renders it without a warning",
              "" if r.returncode == 0 and not r.stderr.strip() and
              "operator_metrics" in r.stdout else r.stderr[-500:])
    print("man: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
