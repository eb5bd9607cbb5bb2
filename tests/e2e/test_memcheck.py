#!/usr/bin/env python3
"""The plugin inside the real collectd under valgrind (memcheck) and, when
OM_ASAN_PLUGIN names a build with --enable-sanitizers, under ASan/UBSan,
through several reads of good, hostile and failing endpoints, databases,
backup sources and Kubernetes API answers, and a clean
shutdown. Any invalid access, use of uninitialised memory or definite leak
fails; so does a sanitizer report."""
import json
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PKI, Collectd, Fixture, Workdir,  # noqa: E402
                     run_suite, target_block, wait_until)
from kube_apiserver import FakeAPIServer  # noqa: E402
from pgserver import SUPERUSER_PASSWORD, PostgresServer  # noqa: E402
from kube_objects import WIDGETS, load_objects, namespaces  # noqa: E402

# the <Postgres> and <Backup> blocks' namespace; the <Kubernetes> blocks
# read the objects' own, so that no two blocks own one series
NS = "ns"


def pg_blocks(pg, password_file, wrong_password_file):
    def block(name, *lines):
        return '<Postgres "%s">\n%s</Postgres>\n' % (
            name, "".join("  %s\n" % line for line in lines))
    server = ('Host "127.0.0.1"', "Port %d" % pg.port, 'User "postgres"',
              'Namespace "%s"' % NS)
    return "".join([
        block("pg", *server, 'PasswordFile "%s"' % password_file,
              "MaxRows 2"),
        block("pg-wrong-password", *server,
              'PasswordFile "%s"' % wrong_password_file),
        block("pg-down", 'Host "127.0.0.1"', "Port 1",
              'Namespace "%s"' % NS),
    ])


INFO_JSON = json.dumps([{
    "name": "main", "status": {"code": 0, "message": "ok"},
    "backup": [{"label": "20261121-010000F", "error": False,
                "timestamp": {"start": 1795222800, "stop": 1795222830},
                "info": {"repository": {"delta": 1234}}},
               {"label": "20261121-020000F_20261121-020000I", "error": True,
                "timestamp": {"start": 1795226400, "stop": 1795226405},
                "info": {"repository": {"delta": 56}}}]},
    {"name": "empty", "status": {"code": 2, "message": "no valid backups"},
     "backup": []}])


def backup_blocks(wd):
    dumps = os.path.join(wd.path, "dumps")
    os.makedirs(dumps, exist_ok=True)
    for name, size in (("a.sql", 10), ("b.sql", 0), ("c.txt", 5)):
        with open(os.path.join(dumps, name), "wb") as f:
            f.write(b"x" * size)
    info = wd.file("info.json", INFO_JSON)

    def block(name, *lines):
        return '<Backup "%s">\n  Namespace "%s"\n%s</Backup>\n' % (
            name, NS, "".join("  %s\n" % line for line in lines))
    return "".join([
        block("file", 'Type "pgbackrest"', 'File "%s"' % info,
              'Schedule "*/5 * * * *"', 'TimeZone "Europe/Berlin"',
              "MaxBackups 1"),
        block("dumps", 'Type "directory"', 'Path "%s"' % dumps,
              'Pattern "*.sql"', 'Schedule "* * * * *"'),
        block("garbage", 'Type "pgbackrest"', 'Command "/bin/echo" "{["'),
        block("hang", 'Type "pgbackrest"', 'Command "/bin/sleep" "30"',
              "Timeout 0.5", "Interval 2"),
        block("huge", 'Type "pgbackrest"',
              'Command "/usr/bin/head" "-c" "3000000" "/dev/zero"',
              "MaxOutputBytes 65536"),
        block("missing", 'Type "pgbackrest"',
              'File "%s"' % os.path.join(wd.path, "nonexistent.json")),
    ])


def kube_blocks(api, pki, token_file):
    """Every preset against the fake API server, and a <Resource> block per
    fault the server can play."""
    head = ('  APIServer "%s"\n  BearerTokenFile "%s"\n  CACert "%s"\n'
            % (api.url(), token_file, pki.ca))
    # the presets' objects in their own namespaces, apart from the
    # <Postgres> and <Backup> blocks' "ns"
    presets = '  Namespace %s\n' % " ".join('"%s"' % n for n in namespaces())
    # and a block under leader election, whose rounds run too: at Interval
    # 40 each request of a round may take 2 s, which a TLS connection under
    # valgrind needs
    election = ('  LeaderElection "memcheck"\n  LeaseAPIServer "%s"\n'
                '  LeaseBearerTokenFile "%s"\n  LeaseCACert "%s"\n'
                '  Interval 40\n' % (api.url(), token_file, pki.ca))
    faults = {"broken": {"malformed": True}, "refused": {"status": 403},
              "expiring": {"expire": "always"},
              "bulky": {"huge": 300000}}
    for plural, fault in faults.items():
        api.define("example.com", "v1", plural, "Widget")
        for o in WIDGETS:
            api.put(plural, o)
        api.fault(plural, fault)
    api.define("example.com", "v1", "gadgets", "Gadget")
    for o in WIDGETS:
        api.put("gadgets", o)

    def resource(plural, *lines):
        return ('  <Resource>\n    Group "example.com"\n    Version "v1"\n'
                '    Resource "%s"\n%s  </Resource>\n' % (
                    plural, "".join("    %s\n" % line for line in lines)))
    return ('<Kubernetes "kube">\n' + head + presets +
            '  PageSize 2\n  Interval 2\n'
            '  Preset "dbops"\n  Preset "dynamo"\n  Preset "datum"\n' +
            resource("widgets", 'Label "color" "spec.color"',
                     'CountBy "status.phase"', 'Value "spec.size"') +
            '</Kubernetes>\n<Kubernetes "kube-faults">\n' + head +
            '  PageSize 2\n  Interval 3\n  MaxResponseBytes 65536\n' +
            "".join(resource(p, 'Prefix "%s"' % p, 'CountBy "spec.color"')
                    for p in faults) +
            resource("missing", 'Prefix "missing"', 'CountBy "spec.color"') +
            '</Kubernetes>\n<Kubernetes "kube-lease">\n' + head + election +
            resource("gadgets", 'Prefix "leased"') + '</Kubernetes>\n')


def pods_blocks(api, pki, token_file, http):
    """A <Target> following pods on this node (collectd's Hostname, with no
    NODE_NAME), one following a Service's endpoints, and pods that come
    and go between reads."""
    head = ('    APIServer "%s"\n    BearerTokenFile "%s"\n    CACert "%s"\n'
            '    RefreshInterval 1\n' % (api.url(), token_file, pki.ca))

    def pod(name, ready):
        return {"metadata": {"name": name, "namespace": NS,
                             "labels": {"app": "op"}},
                "spec": {"nodeName": "om-test-host", "containers": [
                    {"ports": [{"name": "metrics",
                                "containerPort": http.port}]}]},
                "status": {"phase": "Running", "podIP": "127.0.0.1",
                           "conditions": [{"type": "Ready", "status":
                                           "True" if ready else "False"}]}}
    api.put_pod(pod("op-1", True))
    api.put_pod(pod("op-2", False))
    api.put_endpoints({"metadata": {"name": "op-svc", "namespace": NS},
                       "subsets": [{"addresses": [
                           {"ip": "127.0.0.1", "nodeName": "elsewhere",
                            "targetRef": {"kind": "Pod", "name": "op-1",
                                          "namespace": NS}}],
                           "ports": [{"port": http.port}]}]})
    # Interval 4: under valgrind a TLS listing takes seconds, and a read
    # gives it 80 % of the interval
    return ('<Target "pods">\n  Interval 4\n  <Pods>\n'
            '    Namespace "%s"\n    Selector "app=op"\n    Port "metrics"\n'
            % NS + head + '  </Pods>\n</Target>\n'
            '<Target "service">\n  Interval 4\n  <Pods>\n'
            '    Service "op-svc"\n    Scope "cluster"\n    Port %d\n'
            '    Path "/bad"\n' % http.port + head +
            '  </Pods>\n</Target>\n')


def blocks(https, http, pki, token_file):
    block = target_block
    return "".join([
        block("tls", https.url("/metrics"), 'CACert "%s"' % pki.ca,
              'HealthURL "%s"' % https.url("/healthz"),
              'ReadyURL "%s"' % https.url("/fail"), 'Include "datum_*"'),
        block("edge", http.url("/edge"), 'Include "*"'),
        block("bad", http.url("/bad"), 'Include "*"'),
        block("garbage", http.url("/garbage")),
        block("huge", http.url("/huge"), "MaxResponseBytes 200000"),
        block("truncated", http.url("/truncated")),
        block("slow", http.url("/slow?s=10"), "Timeout 0.5"),
        block("capped", http.url("/metrics"), "MaxSeries 25",
              'Label "cluster" "eu-1"', "HonorLabels false"),
        block("token", http.url("/metrics"), 'BearerTokenFile "%s"' % token_file,
              'Exclude "go_*"'),
        block("down", "http://127.0.0.1:1/metrics",
              'HealthURL "http://127.0.0.1:1/healthz"'),
    ])


class Env:
    def __init__(self, wd):
        self.wd = wd
        self.pki = PKI(wd)
        self.token = wd.file("token", "secret-token\n", 0o600)
        self.https = Fixture(wd, "https", pki=self.pki)
        self.http = Fixture(wd, "http")
        self.pg = PostgresServer(wd, "pg")
        self.api = FakeAPIServer(self.pki, ["secret-token"])
        load_objects(self.api)
        self.config = blocks(self.https, self.http, self.pki, self.token) + \
            pg_blocks(self.pg, wd.file("pg.pw", SUPERUSER_PASSWORD, 0o600),
                      wd.file("wrong.pw", "not-it", 0o600)) + \
            backup_blocks(wd) + kube_blocks(self.api, self.pki, self.token) + \
            pods_blocks(self.api, self.pki, self.token, self.http) + \
            '<Host>\n  MountTimeout 0.4\n</Host>\n'

    def stop(self):
        self.https.stop()
        self.http.stop()
        self.pg.stop()
        self.api.stop()


# what the log of a run must show before collectd is stopped: every block
# read, every fault played (regular expressions)
MARKERS = (
    [r"operator_metrics\(target/%s\)" % b for b in (
        "bad", "huge", "slow", "down", "garbage", "truncated")] +
    [r"operator_metrics\(postgres/%s\)" % b for b in (
        "pg", "pg-wrong-password", "pg-down")] +
    [r"operator_metrics\(backup/%s\)" % b for b in (
        "garbage", "hang", "huge", "missing")] +
    [r"operator_metrics\(kubernetes/kube-faults\): .*\(%s\)" % state
     for state in ("invalid", "forbidden", "expired", "too_large")] +
    [r"operator_metrics\(kubernetes/kube-lease\): (holds|cannot use) "
     r"lease default/memcheck"])


def missing_markers(log):
    return [m for m in MARKERS if not re.search(m, log)]


def run_for_a_while(c, env, seconds=5):
    """Several read cycles, with the pod op-1 scraped, then gone (it is
    back for the next run), until the log shows every block read and
    every fault played (MARKERS), then SIGTERM and a clean shutdown."""
    c.wait_ready(timeout=60)
    reads = lambda: len(re.findall(r"target/bad\): .*skipped", c.log()))
    op_1 = env.api.pods.get((NS, "op-1"))
    time.sleep(seconds)
    pods = "operator_metrics(target/pods): pod ns/op-1: "
    wait_until("op-1 scraped", lambda: pods + "scraping" in c.log(),
               timeout=90)
    wait_until("op-1 scraped through its Service", lambda: (
        "operator_metrics(target/service): pod ns/op-1: scraping" in c.log()),
        timeout=90)
    env.api.delete_pod(NS, "op-1")
    try:
        wait_until("op-1 no longer scraped",
                   lambda: pods + "no longer scraped" in c.log(), timeout=90)
    finally:
        env.api.put_pod(op_1)
    try:
        wait_until("every block read and every fault played", lambda:
                   not missing_markers(c.log()), timeout=120)
    except AssertionError as e:
        raise AssertionError("%s: %s" % (e, missing_markers(c.log())))
    rc = c.process.stop(sig=signal.SIGTERM, timeout=60)
    return rc, reads()


def test_valgrind(env):
    wd = Workdir("memcheck")
    try:
        report = os.path.join(wd.path, "valgrind.txt")
        c = Collectd(wd, env.config, name="collectd-valgrind", wrapper=[
            "valgrind", "--tool=memcheck", "--leak-check=full",
            "--errors-for-leak-kinds=definite", "--track-origins=yes",
            "--error-exitcode=99", "--child-silent-after-fork=yes",
            "--log-file=" + report])
        rc, _ = run_for_a_while(c, env, 4)
        with open(report) as f:
            text = f.read()
        summary = re.search(r"ERROR SUMMARY: (\d+) errors", text)
        lost = re.search(r"definitely lost: ([\d,]+) bytes", text)
        assert summary, "no valgrind summary:\n" + text[-2000:]
        assert summary.group(1) == "0", "valgrind errors:\n" + text[-6000:]
        assert lost is None or lost.group(1) == "0", text[-4000:]
        assert rc == 0, "collectd exited %s under valgrind" % rc
        log = c.log()
        # every block read, every fault played; of the lease a round ran
        # (under valgrind a TLS request may outlast its 2 s, so it may have
        # failed: the sanitizers' run sees it succeed)
        assert not missing_markers(log), missing_markers(log)
        for line in ("pod ns/op-1: scraping", "pod ns/op-1: no longer scraped",
                     "pod ns/op-1: scraping http://127.0.0.1:%d/bad"
                     % env.http.port):
            assert line in log, (line, log[-3000:])
    finally:
        wd.cleanup()


def test_sanitizers(env):
    plugin = os.environ.get("OM_ASAN_PLUGIN")
    assert plugin and os.path.exists(plugin), (
        "OM_ASAN_PLUGIN must name a plugin built with --enable-sanitizers")
    wd = Workdir("asan")
    try:
        runtime = []
        for lib in ("libasan.so", "libubsan.so"):
            path = os.popen("gcc -print-file-name=%s" % lib).read().strip()
            assert os.path.exists(path), "%s not found" % lib
            runtime.append(path)
        env_vars = {
            "LD_PRELOAD": " ".join(runtime),
            # collectd itself is not built with ASan: its own exit-time
            # allocations are not ours to judge, so leaks are left to valgrind
            "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0:exitcode=98",
            "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:exitcode=97",
        }
        c = Collectd(wd, env.config, name="collectd-asan", extra_env=env_vars,
                     plugin=plugin)
        rc, reads = run_for_a_while(c, env, 8)
        out = c.process.output()
        log = c.log()
        assert 'operator_metrics(kubernetes/kube-lease): holds lease ' \
            'default/memcheck as "' in log, log[-3000:]
        assert "ERROR: AddressSanitizer" not in out, out[-4000:]
        assert "runtime error" not in out, out[-4000:]
        assert rc == 0, "collectd exited %s with sanitizers:\n%s" % (
            rc, out[-2000:])
        assert reads >= 3, "only %d reads of the hostile block" % reads
    finally:
        wd.cleanup()


if __name__ == "__main__":
    sys.exit(run_suite("e2e.memcheck", Env, [test_valgrind, test_sanitizers]))
