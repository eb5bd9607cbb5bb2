#!/usr/bin/env python3
"""End to end: the Debian package, as a user meets it (root; it installs
and removes packages).

  - dpkg-buildpackage -us -uc -b builds collectd-operator-metrics_<version>
    _amd64.deb from a clean tree (the files git tracks), with its
    dependencies computed (shlibs) and collectd-core (>= 5.12),
    libprotobuf-c1 and libmicrohttpd12 named;
  - lintian reports no error;
  - apt-get installs it on top of Debian's collectd: the plugin in
    /usr/lib/collectd, the man page, the examples, the rules and
    dashboards;
  - Debian's collectd.conf with the installed minimal example in
    collectd.conf.d (its Target pointed at a loopback endpoint) starts,
    passes collectd -T, and Prometheus with the installed relabel rules
    sees the documented series (the host's under job "node", the
    endpoint's, the build info); rrdtool, loaded by Debian's
    collectd.conf, stores none of the plugin's values (the installed
    routing chain);
  - the installed annotated reference example, its site's files made
    and its addresses moved to loopback, passes collectd -T: every block
    of it is accepted and no two of them claim one series;
  - apt-get purge removes every file the package installed.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (COLLECTD, CONFIG_REFUSED_LINES, PKI,  # noqa: E402
                     REPO, Fixture, Process, Prometheus, free_port,
                     run_suite, scrape_config, site_files, wait_until)

PACKAGE = "collectd-operator-metrics"
CONF_D = "/etc/collectd/collectd.conf.d"
RRD = "/var/lib/collectd/rrd"
SHARE = "/usr/share/collectd-operator-metrics"


def run(argv, **kw):
    r = subprocess.run(argv, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise AssertionError("%s exited %d:\n%s%s" % (
            " ".join(argv), r.returncode, r.stdout[-3000:], r.stderr[-3000:]))
    return r.stdout


def apt(*args):
    return run(["apt-get", "-y", "-q", "-o", "Dpkg::Use-Pty=0"] + list(args),
               env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def version():
    with open(os.path.join(REPO, "configure.ac")) as f:
        return re.search(r"AC_INIT\(\[[^]]+\], \[([^]]+)\]", f.read()).group(1)


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.procs = []
        src = os.path.join(wd.path, "src")
        os.makedirs(src)
        files = run(["git", "-C", REPO, "ls-files", "-z"]).split("\0")
        for f in filter(None, files):
            dst = os.path.join(src, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.join(REPO, f), dst)
        # the unit tests run elsewhere in the test run
        run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src,
            env=dict(os.environ, DEB_BUILD_OPTIONS="nocheck"))
        self.deb = os.path.join(wd.path, "%s_%s_amd64.deb" % (PACKAGE,
                                                             version()))
        assert os.path.exists(self.deb), os.listdir(wd.path)
        self.changes = self.deb[:-len(".deb")] + ".changes"
        apt("install", "--no-install-recommends", "collectd")
        # a collectd the package's scripts may have started is not ours
        subprocess.call(["invoke-rc.d", "collectd", "stop"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        for p in reversed(self.procs):
            p.stop()
        if os.path.exists(os.path.join(CONF_D, "operator_metrics.conf")):
            os.remove(os.path.join(CONF_D, "operator_metrics.conf"))
        subprocess.call(["apt-get", "-y", "-q", "purge", PACKAGE],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_package_fields(e):
    fields = run(["dpkg-deb", "-f", e.deb])
    depends = re.search(r"^Depends: (.*)$", fields, re.M).group(1)
    for want in ("collectd-core (>= 5.12)", "libprotobuf-c1",
                 "libmicrohttpd12", "libcurl4", "libpq5", "libcjson1",
                 "libc6"):
        assert want in depends, (want, depends)
    contents = run(["dpkg-deb", "-c", e.deb])
    for path in ("./usr/lib/collectd/operator_metrics.so",
                 "./usr/share/man/man5/collectd-operator-metrics.5.gz",
                 "./usr/share/doc/%s/examples/operator_metrics.conf" % PACKAGE,
                 "./usr/share/doc/%s/examples/operator_metrics.reference.conf"
                 % PACKAGE,
                 ".%s/collectd/route-to-write-prometheus.conf" % SHARE,
                 ".%s/prometheus/relabel.yml" % SHARE,
                 ".%s/prometheus/rules/dbops.yml" % SHARE,
                 ".%s/grafana/dynamo/operator.json" % SHARE):
        assert path in contents, path


def test_lintian_reports_no_error(e):
    r = subprocess.run(["lintian", "--fail-on", "error", "--display-level",
                        ">=warning", e.changes], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def installed_files():
    out = run(["dpkg", "-L", PACKAGE]).split("\n")
    return [p for p in out if p and os.path.isfile(p)]


def test_installs_starts_and_serves(e):
    apt("install", "--no-install-recommends", e.deb)
    e.files = installed_files()
    assert "/usr/lib/collectd/operator_metrics.so" in e.files, e.files
    run(["man", "-P", "cat", "5", "collectd-operator-metrics"])
    operator = Fixture(e.wd, "operator")
    e.procs.append(operator)
    example = "/usr/share/doc/%s/examples/operator_metrics.conf" % PACKAGE
    with open(example) as f:
        text = f.read()
    # the example's endpoint, on the fixture's port; write_prometheus on a
    # free one
    port = free_port()
    text = text.replace("http://127.0.0.1:8080/metrics",
                        operator.url("/metrics"))
    text = text.replace('Port "9103"', 'Port "%d"' % port)
    os.makedirs(CONF_D, exist_ok=True)
    with open(os.path.join(CONF_D, "operator_metrics.conf"), "w") as f:
        f.write(text)
    run(["collectd", "-T", "-C", "/etc/collectd/collectd.conf"])
    c = Process("collectd-installed", ["collectd", "-f", "-C",
                                       "/etc/collectd/collectd.conf"],
                e.wd.file("collectd-installed.log"))
    e.procs.append(c)
    # the installed relabel rules, as the installed prometheus.yml uses
    # them
    with open(os.path.join(SHARE, "prometheus", "relabel.yml")) as f:
        rules = "".join("      " + line if line.strip() else line
                        for line in f)
    prom = Prometheus(e.wd, "prometheus", scrape_config(
        "collectd", "127.0.0.1:%d" % port) + "    honor_timestamps: false\n"
        "    metric_relabel_configs:\n" + rules)
    e.procs.append(prom)
    wait_until("the documented series in Prometheus", lambda: all(prom.query(q)
               for q in ('node_memory_MemTotal_bytes{job="node"}',
                         'up{job="operator"} == 1',
                         'controller_runtime_reconcile_total{job="operator"}',
                         'operator_metrics_build_info{version="%s"}'
                         % version())), timeout=60)
    stored = glob.glob(os.path.join(RRD, "*", "operator_metrics*"))
    assert not stored, "rrdtool stored the plugin's values: %s" % stored[:3]
    assert glob.glob(os.path.join(RRD, "*", "load")), "rrdtool wrote nothing"


def loopback(text):
    """text with its example addresses (10.0.0.x) moved to loopback, where
    nothing listens: collectd -T's one read fails at once."""
    return text.replace('"http://10.0.0.', '"http://127.0.0.').replace(
        '"https://10.0.0.', '"https://127.0.0.').replace(
        'Host "10.0.0.', 'Host "127.0.0.')


def test_reference_example_accepted(e):
    example = "/usr/share/doc/%s/examples/operator_metrics.reference.conf" % (
        PACKAGE)
    with open(example) as f:
        text = loopback(site_files(e.wd, f.read(), PKI(e.wd)))
    assert "10.0.0." not in text, "an example address left: %s" % text
    text = text.replace('Port "9103"', 'Port "%d"' % free_port())
    log = e.wd.file("reference.log")
    conf = e.wd.file("reference.conf", """\
Hostname "reference"
FQDNLookup false
BaseDir "%(d)s"
PIDFile "%(d)s/reference.pid"
LoadPlugin logfile
<Plugin logfile>
  File "%(log)s"
  LogLevel info
</Plugin>
%(text)s
""" % {"d": e.wd.path, "log": log, "text": text})
    r = subprocess.run([COLLECTD, "-T", "-C", conf], capture_output=True,
                       text=True, timeout=120)
    with open(log, errors="replace") as f:
        logged = f.read()
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr, logged)
    for refused in CONFIG_REFUSED_LINES:
        assert refused not in logged, (refused, logged)
    assert "operator_metrics: version " in logged, logged


def test_purge_leaves_nothing(e):
    files = getattr(e, "files", None) or installed_files()
    for p in reversed(e.procs):
        p.stop()
    e.procs = []
    os.remove(os.path.join(CONF_D, "operator_metrics.conf"))
    apt("purge", PACKAGE)
    left = [p for p in files if os.path.exists(p)]
    assert not left, left
    assert not os.path.exists(SHARE)


if __name__ == "__main__":
    sys.exit(run_suite("e2e.deb", Env, [
        test_package_fields,
        test_lintian_reports_no_error,
        test_installs_starts_and_serves,
        test_reference_example_accepted,
        test_purge_leaves_nothing,
    ]))
